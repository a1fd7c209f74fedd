// The scans are static inline functions in include/WinnowSIMD.h; this file only gives the
// target a translation unit.
#include "WinnowSIMD.h"
