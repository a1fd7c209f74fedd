// A validating skip of a whole JSON container, 64 bytes a step, in the manner of simdjson's
// stage 1: each block is classified into bit masks, escapes and the in-string mask are computed
// with carries between blocks, and the grammar is checked on the masks rather than token by
// token. See `winnow_skip_container` in include/WinnowSIMD.h for the contract.
//
// For compact JSON (no whitespace between tokens; a container with any is declined, and the
// byte-wise skipper in Swift takes it) the grammar of a container reduces to rules on adjacent
// bytes plus two that need context:
// - what may follow each kind of byte outside strings: after a closing quote `: , } ]`; after
//   `:` or `,` a value (an opening quote, `{`, `[`, the first byte of a number or literal);
//   after `{` an opening quote or `}`; after `[` a value or `]`; after `}` or `]` `, } ]`; after
//   a byte of a number or literal another one or `, } ]`;
// - a string is a member name exactly when a colon follows it, and it must be one exactly when
//   it follows `{` or a comma of an object: a comma of an object is followed by a name;
// - brackets match, and nest at most `room` deep (the only part walked, bracket by bracket).
// Numbers and literals are checked one by one from their first byte; escapes and control
// characters inside strings from their masks.
#include "WinnowSIMD.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

/// The masks of one 64-byte block: bit k is byte k.
typedef struct {
  uint64_t quote;      // `"`
  uint64_t backslash;  // `\`
  uint64_t control;    // below 0x20
  uint64_t low;        // 0x20 and below (control characters and the space)
  uint64_t open;       // `{ [`
  uint64_t close;      // `} ]`
  uint64_t comma;      // `,`
  uint64_t colon;      // `:`
} winnow_block_masks;

/// Hides the masks' origin from the optimizer, which otherwise folds later mask arithmetic back
/// into vector registers and spills them a byte at a time.
#if defined(__GNUC__) || defined(__clang__)
#define WINNOW_OPAQUE(m)                                                                        \
  __asm__("" : "+r"((m)->quote), "+r"((m)->backslash), "+r"((m)->control), "+r"((m)->low));    \
  __asm__("" : "+r"((m)->open), "+r"((m)->close), "+r"((m)->comma), "+r"((m)->colon))
#else
#define WINNOW_OPAQUE(m)
#endif

#if defined(__SSE2__)
static inline __attribute__((always_inline)) void winnow_classify_sse2(const uint8_t *b,
                                                                        winnow_block_masks *m) {
  memset(m, 0, sizeof *m);
  for (int k = 0; k < 4; k++) {
    __m128i a = _mm_loadu_si128((const __m128i *)(b + 16 * k));
    __m128i folded = _mm_or_si128(a, _mm_set1_epi8(0x20));  // `[` to `{`, `]` to `}`
#define WINNOW_MASK(v) ((uint64_t)(uint32_t)_mm_movemask_epi8(v) << (16 * k))
    m->quote |= WINNOW_MASK(_mm_cmpeq_epi8(a, _mm_set1_epi8('"')));
    m->backslash |= WINNOW_MASK(_mm_cmpeq_epi8(a, _mm_set1_epi8('\\')));
    m->control |= WINNOW_MASK(_mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(0x1F)), a));
    m->low |= WINNOW_MASK(_mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(0x20)), a));
    m->open |= WINNOW_MASK(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')));
    m->close |= WINNOW_MASK(_mm_cmpeq_epi8(folded, _mm_set1_epi8('}')));
    m->comma |= WINNOW_MASK(_mm_cmpeq_epi8(a, _mm_set1_epi8(',')));
    m->colon |= WINNOW_MASK(_mm_cmpeq_epi8(a, _mm_set1_epi8(':')));
#undef WINNOW_MASK
  }
  WINNOW_OPAQUE(m);
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WINNOW_HAVE_AVX2_PATH 1
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) void
winnow_classify_avx2(const uint8_t *b, winnow_block_masks *m) {
  memset(m, 0, sizeof *m);
  for (int k = 0; k < 2; k++) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(b + 32 * k));
    __m256i folded = _mm256_or_si256(a, _mm256_set1_epi8(0x20));
#define WINNOW_MASK(v) ((uint64_t)(uint32_t)_mm256_movemask_epi8(v) << (32 * k))
    m->quote |= WINNOW_MASK(_mm256_cmpeq_epi8(a, _mm256_set1_epi8('"')));
    m->backslash |= WINNOW_MASK(_mm256_cmpeq_epi8(a, _mm256_set1_epi8('\\')));
    m->control |= WINNOW_MASK(_mm256_cmpeq_epi8(_mm256_min_epu8(a, _mm256_set1_epi8(0x1F)), a));
    m->low |= WINNOW_MASK(_mm256_cmpeq_epi8(_mm256_min_epu8(a, _mm256_set1_epi8(0x20)), a));
    m->open |= WINNOW_MASK(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('{')));
    m->close |= WINNOW_MASK(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('}')));
    m->comma |= WINNOW_MASK(_mm256_cmpeq_epi8(a, _mm256_set1_epi8(',')));
    m->colon |= WINNOW_MASK(_mm256_cmpeq_epi8(a, _mm256_set1_epi8(':')));
#undef WINNOW_MASK
  }
  WINNOW_OPAQUE(m);
}

__attribute__((target("avx512f,avx512bw"))) static inline __attribute__((always_inline)) void
winnow_classify_avx512(const uint8_t *b, winnow_block_masks *m) {
  __m512i a = _mm512_loadu_si512((const void *)b);
  __m512i folded = _mm512_or_si512(a, _mm512_set1_epi8(0x20));
  m->quote = _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8('"'));
  m->backslash = _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8('\\'));
  m->control = _mm512_cmple_epu8_mask(a, _mm512_set1_epi8(0x1F));
  m->low = _mm512_cmple_epu8_mask(a, _mm512_set1_epi8(0x20));
  m->open = _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('{'));
  m->close = _mm512_cmpeq_epi8_mask(folded, _mm512_set1_epi8('}'));
  m->comma = _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8(','));
  m->colon = _mm512_cmpeq_epi8_mask(a, _mm512_set1_epi8(':'));
}

__attribute__((target("pclmul"))) static inline __attribute__((always_inline)) uint64_t
winnow_prefix_xor_clmul(uint64_t x) {
  __m128i all = _mm_set1_epi8((char)0xFF);
  __m128i r = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), all, 0);
  return (uint64_t)_mm_cvtsi128_si64(r);
}
#endif

static inline __attribute__((always_inline)) void winnow_classify_scalar(const uint8_t *b,
                                                                          winnow_block_masks *m) {
  memset(m, 0, sizeof *m);
  for (int k = 0; k < 64; k++) {
    uint8_t c = b[k];
    uint64_t bit = (uint64_t)1 << k;
    if (c == '"') m->quote |= bit;
    if (c == '\\') m->backslash |= bit;
    if (c < 0x20) m->control |= bit;
    if (c <= 0x20) m->low |= bit;
    if (c == '{' || c == '[') m->open |= bit;
    if (c == '}' || c == ']') m->close |= bit;
    if (c == ',') m->comma |= bit;
    if (c == ':') m->colon |= bit;
  }
}

/// Bit k of the result is the XOR of bits 0...k of `x`.
static inline __attribute__((always_inline)) uint64_t winnow_prefix_xor_shifts(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

/// Past the number or literal at `i`, validated as the full parser does, or -1; numbers the
/// full parser might find outside the range of a 64-bit float are declined as in `JSONSkipper`.
static ptrdiff_t winnow_skip_scalar(const uint8_t *p, ptrdiff_t start, ptrdiff_t n) {
  ptrdiff_t i = start;
  switch (p[i]) {
  case 't':
    return i + 4 <= n && memcmp(p + i, "true", 4) == 0 ? i + 4 : -1;
  case 'f':
    return i + 5 <= n && memcmp(p + i, "false", 5) == 0 ? i + 5 : -1;
  case 'n':
    return i + 4 <= n && memcmp(p + i, "null", 4) == 0 ? i + 4 : -1;
  default:
    break;
  }
  if (p[i] == '-') i++;
  if (!(i < n && (uint8_t)(p[i] - '0') < 10)) return -1;
  ptrdiff_t integer_start = i;
  if (p[i] == '0') {
    i++;
    if (i < n && (uint8_t)(p[i] - '0') < 10) return -1;
  } else {
    while (i < n && (uint8_t)(p[i] - '0') < 10) i++;
  }
  ptrdiff_t integer_digits = i - integer_start;
  if (i < n && p[i] == '.') {
    i++;
    if (!(i < n && (uint8_t)(p[i] - '0') < 10)) return -1;
    while (i < n && (uint8_t)(p[i] - '0') < 10) i++;
  }
  if (i < n && (p[i] | 0x20) == 'e') {
    i++;
    int negative = 0;
    if (i < n && (p[i] == '+' || p[i] == '-')) {
      negative = p[i] == '-';
      i++;
    }
    if (!(i < n && (uint8_t)(p[i] - '0') < 10)) return -1;
    ptrdiff_t exponent = 0;
    while (i < n && (uint8_t)(p[i] - '0') < 10) {
      if (exponent < 1000) exponent = exponent * 10 + (p[i] - '0');
      i++;
    }
    if (!negative && integer_digits + exponent > 300) return -1;
  }
  return i - start > 300 ? -1 : i;
}

/// Whether the `length` bytes at `b`, a whole run of bytes that are no token, are `true`,
/// `false`, `null` or an integer without sign or leading zero: the common scalars, which then
/// need no further check.
static inline __attribute__((always_inline)) int winnow_is_plain_scalar(const uint8_t *b,
                                                                         int length) {
  switch (b[0]) {
  case 't':
    return length == 4 && memcmp(b, "true", 4) == 0;
  case 'n':
    return length == 4 && memcmp(b, "null", 4) == 0;
  case 'f':
    return length == 5 && memcmp(b, "false", 5) == 0;
  case '0':
    return length == 1;
  default:
    for (int i = 0; i < length; i++) {
      if ((uint8_t)(b[i] - '0') >= 10) return 0;
    }
    return 1;
  }
}

/// The positions among a block's escaped characters (those after a backslash that starts an
/// escape, inside a string) that the full parser would reject: anything but `" \ / b f n r t`,
/// and `u` not followed by four hexadecimal digits. `base` is the block's offset in `p`.
static uint64_t winnow_bad_escapes(const uint8_t *p, const uint8_t *b, ptrdiff_t base,
                                   ptrdiff_t n, uint64_t escaped) {
  uint64_t bad = 0;
  while (escaped != 0) {
    int k = __builtin_ctzll(escaped);
    escaped &= escaped - 1;
    uint8_t e = b[k];
    if (e == 'u') {
      ptrdiff_t at = base + k;
      if (!(at + 4 < n && winnow_is_hex(p[at + 1]) && winnow_is_hex(p[at + 2]) &&
            winnow_is_hex(p[at + 3]) && winnow_is_hex(p[at + 4])))
        bad |= (uint64_t)1 << k;
    } else if (!(e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't')) {
      bad |= (uint64_t)1 << k;
    }
  }
  return bad;
}

#define WINNOW_ODD_BITS 0xAAAAAAAAAAAAAAAAULL

/// The body of `winnow_skip_container`, instantiated per instruction set: `CLASSIFY` fills the
/// masks of a block, `PREFIX_XOR` computes the in-string mask.
#define WINNOW_SKIP_CONTAINER_BODY(CLASSIFY, PREFIX_XOR)                                            \
  if (room < 1 || start >= n) return -1;                                                            \
  uint64_t in_string = 0;       /* all ones when the previous block ended inside a string */        \
  uint64_t next_is_escaped = 0; /* bit 0: the next block's first byte is escaped */                 \
  uint64_t name_carry = 0;      /* 1 when the previous block ended inside a member name */          \
  /* Masks of the previous block, for its last byte (bit 63). Before the container a value is       \
     expected, as after a separator. */                                                             \
  uint64_t last_separator = (uint64_t)1 << 63, last_open = 0, last_before_name = 0;                 \
  uint64_t last_ends = 0, last_name_ends = 0, last_scalar = 0;                                      \
  int depth = 0;                                                                                    \
  uint64_t objects = 0; /* bit k: the container at level k + 1 is an object */                      \
  uint8_t tail[64];                                                                                 \
  for (ptrdiff_t base = start; base < n; base += 64) {                                              \
    const uint8_t *b = p + base;                                                                    \
    if (n - base < 64) {                                                                            \
      memset(tail, ' ', 64);                                                                        \
      memcpy(tail, b, (size_t)(n - base));                                                          \
      b = tail;                                                                                     \
    }                                                                                               \
    winnow_block_masks m;                                                                           \
    CLASSIFY(b, &m);                                                                                \
    /* Escaped bytes: those after an odd run of backslashes (simdjson's escape scanner). */         \
    uint64_t escaped;                                                                               \
    if (m.backslash == 0) {                                                                         \
      escaped = next_is_escaped;                                                                    \
      next_is_escaped = 0;                                                                          \
    } else {                                                                                        \
      uint64_t potential = m.backslash & ~next_is_escaped;                                          \
      uint64_t code = (((potential << 1) | WINNOW_ODD_BITS) - potential) ^ WINNOW_ODD_BITS;         \
      escaped = code ^ (m.backslash | next_is_escaped);                                             \
      next_is_escaped = (code & m.backslash) >> 63;                                                 \
    }                                                                                               \
    uint64_t quotes = m.quote & ~escaped;                                                          \
    if (quotes == 0 && in_string != 0) {                                                           \
      /* The whole block inside one string (a long one): only its escapes and control              \
         characters need a look, and the previous byte of the next block is a string's. */         \
      uint64_t bad = m.control;                                                                    \
      uint64_t unusual = escaped & ~(m.quote | m.backslash); /* `\"` and `\\` are valid */          \
      if (unusual != 0) bad |= winnow_bad_escapes(p, b, base, n, unusual);                         \
      if (bad != 0) return -1;                                                                     \
      last_separator = last_open = last_before_name = last_ends = last_name_ends = 0;              \
      last_scalar = 0;                                                                             \
      continue;                                                                                    \
    }                                                                                              \
    /* Inside a string: from its opening quote up to (not including) its closing one. */            \
    uint64_t strings = PREFIX_XOR(quotes) ^ in_string;                                              \
    in_string = (uint64_t)((int64_t)strings >> 63);                                                 \
    uint64_t outside = ~strings;                                                                    \
    uint64_t opening = quotes & strings, closing = quotes & outside;                                \
    uint64_t open = m.open & outside, close = m.close & outside;                                    \
    uint64_t comma = m.comma & outside, colon = m.colon & outside;                                  \
    /* Bytes of numbers and literals (and of anything else that is no token). */                    \
    uint64_t scalar = ~(m.low | m.open | m.close | m.comma | m.colon | m.quote) & outside;          \
    uint64_t scalar_starts = scalar & ~((scalar << 1) | (last_scalar >> 63));                       \
    /* The brackets, in order: depth, matching, and which bytes are directly in an object. */       \
    uint64_t brackets = open | close;                                                               \
    uint64_t in_object = 0, curly = 0;                                                              \
    int top_is_object = depth > 0 ? (int)((objects >> (depth - 1)) & 1) : 0;                        \
    int from = 0;                                                                                   \
    int end = -1;                                                                                   \
    while (brackets != 0) {                                                                         \
      int k = __builtin_ctzll(brackets);                                                            \
      brackets &= brackets - 1;                                                                     \
      if (top_is_object) in_object |= (~(uint64_t)0 << from) & ((((uint64_t)2) << k) - 1);          \
      from = k;                                                                                     \
      int is_curly = (b[k] >> 5) & 1; /* `{ }` have the bit 0x20, `[ ]` do not */                  \
      if ((open >> k) & 1) {                                                                        \
        if (depth >= room) return -1;                                                               \
        top_is_object = is_curly;                                                                   \
        curly |= (uint64_t)is_curly << k;                                                           \
        objects = (objects & ~((uint64_t)1 << depth)) | ((uint64_t)is_curly << depth);              \
        depth++;                                                                                    \
      } else {                                                                                      \
        if (depth == 0 || top_is_object != is_curly) return -1;                                     \
        depth--;                                                                                    \
        if (depth == 0) {                                                                           \
          end = k;                                                                                  \
          break;                                                                                    \
        }                                                                                           \
        top_is_object = (int)((objects >> (depth - 1)) & 1);                                        \
      }                                                                                             \
    }                                                                                               \
    if (top_is_object && end < 0) in_object |= ~(uint64_t)0 << from;                                \
    /* The bytes that count: up to the container's closing bracket. */                              \
    uint64_t within = end >= 0 ? ((((uint64_t)2) << end) - 1) : ~(uint64_t)0;                       \
    /* Whitespace or a control character between tokens: declined. */                               \
    if ((m.low & outside & within) != 0) return -1;                                                 \
    /* Member names: the strings after `{` and after the commas of objects. Adding their            \
       opening quotes to the in-string mask carries each to the name's closing quote. */            \
    uint64_t before_name = curly | (comma & in_object);                                             \
    uint64_t after_before_name = (before_name << 1) | (last_before_name >> 63);                     \
    uint64_t names = opening & after_before_name;                                                   \
    uint64_t sum, sum_carry;                                                                        \
    int overflow = __builtin_add_overflow(strings, names, &sum);                                    \
    overflow |= __builtin_add_overflow(sum, name_carry, &sum_carry);                                \
    name_carry = (uint64_t)overflow;                                                                \
    uint64_t name_ends = sum_carry & closing;                                                       \
    /* What may come before what (each mask shifted by one byte describes the byte before). */      \
    uint64_t separator = colon | comma;                                                             \
    uint64_t ends = closing | close | scalar;                                                       \
    uint64_t after_open = (open << 1) | (last_open >> 63);                                          \
    uint64_t after_ends = (ends << 1) | (last_ends >> 63);                                          \
    uint64_t bad = m.control & strings;                                                             \
    /* A value follows a separator, `{` or `[`; a name follows `{` or a comma of an object,         \
       and nothing else does; `}` and `]` follow the end of a value or their opening bracket;       \
       a comma follows the end of a value; a colon follows exactly the names. */                    \
    bad |= (opening | open | scalar_starts) &                                                       \
           ~(((separator << 1) | (last_separator >> 63)) | after_open);                             \
    bad |= after_before_name & ~(opening | close);                                                  \
    bad |= close & ~(after_ends | after_open);                                                      \
    bad |= comma & ~after_ends;                                                                     \
    bad |= colon ^ ((name_ends << 1) | (last_name_ends >> 63));                                     \
    uint64_t unusual = escaped & strings & within & ~(m.quote | m.backslash);                      \
    if (unusual != 0) bad |= winnow_bad_escapes(p, b, base, n, unusual);                            \
    if ((bad & within) != 0) return -1;                                                             \
    /* Each number and literal, whole. A run of scalar bytes that ends within the block is checked \
       here when it is a literal or a plain integer (what follows it was checked on the masks      \
       above); any other, and one that may go on in the next block, by `winnow_skip_scalar`. */    \
    uint64_t starts = scalar_starts & within;                                                       \
    while (starts != 0) {                                                                           \
      int k = __builtin_ctzll(starts);                                                              \
      starts &= starts - 1;                                                                         \
      uint64_t rest = ~(scalar >> k);                                                               \
      int length = rest != 0 ? __builtin_ctzll(rest) : 64;                                          \
      if (k + length < 64 && winnow_is_plain_scalar(b + k, length)) continue;                       \
      ptrdiff_t after = winnow_skip_scalar(p, base + k, n);                                         \
      if (after < 0 || after >= n) return -1;                                                       \
      uint8_t t = p[after];                                                                         \
      if (!(t == ',' || (t | 0x20) == '}')) return -1;                                              \
    }                                                                                               \
    if (end >= 0) return base + end + 1;                                                            \
    last_separator = separator;                                                                     \
    last_open = open;                                                                               \
    last_before_name = before_name;                                                                 \
    last_ends = ends;                                                                               \
    last_name_ends = name_ends;                                                                     \
    last_scalar = scalar;                                                                           \
  }                                                                                                 \
  return -1;

#if defined(__SSE2__)
static ptrdiff_t winnow_skip_container_sse2(const uint8_t *p, ptrdiff_t start, ptrdiff_t n,
                                            int room) {
  WINNOW_SKIP_CONTAINER_BODY(winnow_classify_sse2, winnow_prefix_xor_shifts)
}
#endif

static ptrdiff_t winnow_skip_container_scalar(const uint8_t *p, ptrdiff_t start, ptrdiff_t n,
                                              int room) {
  WINNOW_SKIP_CONTAINER_BODY(winnow_classify_scalar, winnow_prefix_xor_shifts)
}

#if defined(WINNOW_HAVE_AVX2_PATH)
__attribute__((target("avx2,pclmul"))) static ptrdiff_t winnow_skip_container_avx2(
    const uint8_t *p, ptrdiff_t start, ptrdiff_t n, int room) {
  WINNOW_SKIP_CONTAINER_BODY(winnow_classify_avx2, winnow_prefix_xor_clmul)
}

__attribute__((target("avx512f,avx512bw,pclmul"))) static ptrdiff_t winnow_skip_container_avx512(
    const uint8_t *p, ptrdiff_t start, ptrdiff_t n, int room) {
  WINNOW_SKIP_CONTAINER_BODY(winnow_classify_avx512, winnow_prefix_xor_clmul)
}
#endif

int winnow_skip_container_best_level(void) {
  static int best = -1;  // not decided yet
  int level = __atomic_load_n(&best, __ATOMIC_RELAXED);
  if (level < 0) {
    level = 0;
#if defined(__SSE2__)
    level = 1;
#endif
#if defined(WINNOW_HAVE_AVX2_PATH)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul")) {
      level = 2;
      if (__builtin_cpu_supports("avx512bw") && getenv("WINNOW_NO_AVX512") == NULL) level = 3;
    }
#endif
    __atomic_store_n(&best, level, __ATOMIC_RELAXED);
  }
  return level;
}

ptrdiff_t winnow_skip_container_at_level(const uint8_t *p, ptrdiff_t start, ptrdiff_t n, int room,
                                         int level) {
  switch (level) {
#if defined(WINNOW_HAVE_AVX2_PATH)
  case 3:
    return winnow_skip_container_avx512(p, start, n, room);
  case 2:
    return winnow_skip_container_avx2(p, start, n, room);
#endif
#if defined(__SSE2__)
  case 1:
    return winnow_skip_container_sse2(p, start, n, room);
#endif
  default:
    return winnow_skip_container_scalar(p, start, n, room);
  }
}

ptrdiff_t winnow_skip_container(const uint8_t *p, ptrdiff_t start, ptrdiff_t n, int room) {
  int level = winnow_skip_container_best_level();
  // Without SIMD the byte-wise skipper of the caller is faster than classifying byte by byte.
  if (level == 0) return -1;
  return winnow_skip_container_at_level(p, start, n, room, level);
}
