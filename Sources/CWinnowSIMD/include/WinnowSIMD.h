// Byte-class scans for the JSON parser's hot loops, written with SSE2 intrinsics (part of the
// x86-64 baseline, so no run-time dispatch is needed) and a portable fallback elsewhere; and
// the block-wise container skip (WinnowSkipContainer.c, out of line, dispatched at run time).
//
// The functions are `static inline` so that the Swift compiler inlines them into the parser:
// a call per string would cost more than the scan of a typical short key.
#ifndef WINNOW_SIMD_H
#define WINNOW_SIMD_H

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Returns the offset of the first byte at or after `i` (and before `n`) that ends a plain run
/// inside a JSON string: `"`, `\`, a control character (below 0x20) or a non-ASCII byte (0x80
/// and above); `n` if there is none. Reads only bytes in [0, n) of the buffer `p` starts: near
/// the end it loads the last 16 bytes, which may begin before `i` (their bits are dropped).
static inline ptrdiff_t winnow_string_stop(const uint8_t *p, ptrdiff_t i, ptrdiff_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  // A signed compare with 0x20 catches both the control characters (0x00-0x1F) and the
  // non-ASCII bytes (0x80-0xFF, negative as signed bytes).
  const __m128i space = _mm_set1_epi8(0x20);
  // Most keys and values are short: one 16-byte block settles them.
  if (i + 16 <= n) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i sa = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)),
                              _mm_cmplt_epi8(a, space));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(sa);
    if (mask != 0) return i + __builtin_ctz(mask);
    i += 16;
  }
  while (i + 32 <= n) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i b = _mm_loadu_si128((const __m128i *)(p + i + 16));
    __m128i sa = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)),
                              _mm_cmplt_epi8(a, space));
    __m128i sb = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, quote), _mm_cmpeq_epi8(b, backslash)),
                              _mm_cmplt_epi8(b, space));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(sa) | ((uint32_t)_mm_movemask_epi8(sb) << 16);
    if (mask != 0) return i + __builtin_ctz(mask);
    i += 32;
  }
  if (i + 16 <= n) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i sa = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)),
                              _mm_cmplt_epi8(a, space));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(sa);
    if (mask != 0) return i + __builtin_ctz(mask);
    i += 16;
  }
  if (i < n && n >= 16) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + n - 16));
    __m128i sa = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)),
                              _mm_cmplt_epi8(a, space));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(sa) >> (i - (n - 16));
    return mask != 0 ? i + __builtin_ctz(mask) : n;
  }
#endif
  while (i < n) {
    uint8_t c = p[i];
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return i;
    i += 1;
  }
  return n;
}

/// Like `winnow_string_stop`, and copies the bytes it passes over to `dst` (from `dst[0]`), for
/// the decoder of strings with escapes. It stores 16 bytes at a time, so it may write up to 16
/// bytes past the copied run: `dst` needs room for `3 * (n - i) + 4` bytes, which the decoder
/// reserves anyway (an input byte decodes to at most 3 output bytes).
static inline ptrdiff_t winnow_string_copy_stop(const uint8_t *p, ptrdiff_t i, ptrdiff_t n,
                                                uint8_t *dst) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (i + 16 <= n) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
    _mm_storeu_si128((__m128i *)dst, a);
    __m128i sa = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)),
                              _mm_cmplt_epi8(a, space));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(sa);
    if (mask != 0) return i + __builtin_ctz(mask);
    i += 16;
    dst += 16;
  }
#endif
  while (i < n) {
    uint8_t c = p[i];
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return i;
    *dst++ = c;
    i += 1;
  }
  return n;
}

/// Like `winnow_string_stop`, but passes over non-ASCII bytes: returns the offset of the first
/// `"`, `\` or control character (below 0x20) at or after `i` (and before `n`), or `n`. For
/// the validating skipper, which accepts every byte from 0x80 up inside a string.
__attribute__((always_inline)) static inline ptrdiff_t winnow_skip_string_stop(const uint8_t *p, ptrdiff_t i, ptrdiff_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control = _mm_set1_epi8(0x1F);
  // min(a, 0x1F) == a exactly when a <= 0x1F (unsigned).
#define WINNOW_SKIP_STOPS(a)                                                                   \
  _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)),           \
               _mm_cmpeq_epi8(_mm_min_epu8(a, control), a))
  if (i + 16 <= n) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(WINNOW_SKIP_STOPS(a));
    if (mask != 0) return i + __builtin_ctz(mask);
    i += 16;
  }
  while (i + 32 <= n) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i b = _mm_loadu_si128((const __m128i *)(p + i + 16));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(WINNOW_SKIP_STOPS(a)) |
                    ((uint32_t)_mm_movemask_epi8(WINNOW_SKIP_STOPS(b)) << 16);
    if (mask != 0) return i + __builtin_ctz(mask);
    i += 32;
  }
  if (i + 16 <= n) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(WINNOW_SKIP_STOPS(a));
    if (mask != 0) return i + __builtin_ctz(mask);
    i += 16;
  }
  if (i < n && n >= 16) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + n - 16));
    uint32_t mask = (uint32_t)_mm_movemask_epi8(WINNOW_SKIP_STOPS(a)) >> (i - (n - 16));
    return mask != 0 ? i + __builtin_ctz(mask) : n;
  }
#undef WINNOW_SKIP_STOPS
#endif
  while (i < n) {
    uint8_t c = p[i];
    if (c == '"' || c == '\\' || c < 0x20) return i;
    i += 1;
  }
  return n;
}

/// Whether `c` is an ASCII hexadecimal digit.
static inline int winnow_is_hex(uint8_t c) {
  return (uint8_t)(c - '0') < 10 || (uint8_t)((c | 0x20) - 'a') < 6;
}

/// Passes over the rest of a JSON string from `i`, a byte inside it (after its opening quote),
/// validating as the full parser does: an escape is one of `\" \\ \/ \b \f \n \r \t` or `\u` and
/// four hexadecimal digits, a control character (below 0x20) is an error, every other byte
/// (0x80 and up included) is accepted. Returns the offset just past the closing quote, or -1.
///
/// Escapes are handled inside each 16-byte block, from its masks of quotes, backslashes and
/// control characters, so a string dense with escapes (JSON inside a string) is not scanned
/// again from every escape.
static inline ptrdiff_t winnow_skip_string_rest(const uint8_t *p, ptrdiff_t i, ptrdiff_t n) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control = _mm_set1_epi8(0x1F);
  while (i + 16 <= n) {
    __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
    uint32_t q = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, quote));
    uint32_t c = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(a, control), a));
    uint32_t stops = q | c | (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, backslash));
    ptrdiff_t next = i + 16;
    while (stops != 0) {
      int k = __builtin_ctz(stops);
      ptrdiff_t at = i + k;
      if ((q >> k) & 1) return at + 1;
      if ((c >> k) & 1) return -1;
      // A backslash: the escape it starts.
      if (at + 1 >= n) return -1;
      uint8_t e = p[at + 1];
      if (e == 'u') {
        if (at + 5 >= n || !winnow_is_hex(p[at + 2]) || !winnow_is_hex(p[at + 3]) ||
            !winnow_is_hex(p[at + 4]) || !winnow_is_hex(p[at + 5]))
          return -1;
        at += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        at += 2;
      } else {
        return -1;
      }
      if (at >= i + 16) {
        next = at;
        break;
      }
      stops &= ~0u << (at - i);
    }
    i = next;
  }
#endif
  while (i < n) {
    uint8_t b = p[i];
    if (b == '"') return i + 1;
    if (b < 0x20) return -1;
    if (b == '\\') {
      if (i + 1 >= n) return -1;
      uint8_t e = p[i + 1];
      if (e == 'u') {
        if (i + 5 >= n || !winnow_is_hex(p[i + 2]) || !winnow_is_hex(p[i + 3]) ||
            !winnow_is_hex(p[i + 4]) || !winnow_is_hex(p[i + 5]))
          return -1;
        i += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        i += 2;
      } else {
        return -1;
      }
    } else {
      i += 1;
    }
  }
  return -1;
}

/// Passes over the JSON object or array whose opening bracket is at `start`, validating it as
/// the full parser does, and returns the offset just past its closing bracket; or -1 for an
/// invalid container and for some valid ones it does not decide: any whitespace between its
/// tokens, nesting deeper than `room` levels (counting its own), a number of more than 300
/// bytes or whose exponent might take it outside the range of a 64-bit float. Reads only bytes
/// in [0, n).
///
/// Classifies 64 bytes a step and checks the grammar on the bit masks (see
/// WinnowSkipContainer.c), with the best instruction set the processor has; without SIMD
/// (level 0 below) it always returns -1, leaving the container to the caller's byte-wise skip.
ptrdiff_t winnow_skip_container(const uint8_t *p, ptrdiff_t start, ptrdiff_t n, int room);

/// The instruction set `winnow_skip_container` uses: 0 plain C, 1 SSE2, 2 AVX2 and PCLMULQDQ,
/// 3 AVX-512BW and PCLMULQDQ (not with the environment variable `WINNOW_NO_AVX512` set, for
/// measurements). Decided at the first call.
int winnow_skip_container_best_level(void);

/// `winnow_skip_container` with the given instruction set (at most the best level), for tests.
ptrdiff_t winnow_skip_container_at_level(const uint8_t *p, ptrdiff_t start, ptrdiff_t n, int room,
                                         int level);

#endif
