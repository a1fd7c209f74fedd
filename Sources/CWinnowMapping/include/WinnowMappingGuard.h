// A guard for the file `winnow match` maps: reading a page of a mapped file past its end (the
// file was truncated after it was mapped) raises SIGBUS, which would end the process. While a
// range is guarded, such a fault is answered by mapping a page of zeros at that address, so the
// read goes on (and finds NUL bytes, which no JSON line holds), and counted; the caller checks
// the file's size afterwards and reports the truncation. Faults elsewhere go to the disposition
// that was in place before (the runtime's crash handler, or the default).
#ifndef WINNOW_MAPPING_GUARD_H
#define WINNOW_MAPPING_GUARD_H

#include <stddef.h>

/// Guards the `length` bytes at `start` (page-aligned) until `winnow_unguard_mapping` with the
/// slot returned; installs the SIGBUS handler on the first call. Returns the slot, or -1 when
/// the handler cannot be installed or `WINNOW_GUARD_SLOTS` ranges are guarded already (the
/// range is then not guarded).
int winnow_guard_mapping(void *start, size_t length);

/// Stops guarding the range of `slot` (before it is unmapped); -1 is ignored.
void winnow_unguard_mapping(int slot);

/// The most ranges guarded at once.
#define WINNOW_GUARD_SLOTS 64

/// How many faults in a guarded range were answered with a page of zeros since the process
/// started.
long winnow_guarded_faults(void);

#endif
