/// A set of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges.
///
/// Character classes are built as sets (as RE2's `CharClassBuilder` does) and printed as PCRE2
/// class bodies, so that no PCRE2 class shorthand with a different meaning (`\s` adds VT) is ever
/// emitted.
struct RE2CharacterSet: Hashable, Sendable {
  /// The largest Unicode code point.
  static let maxCodePoint: UInt32 = 0x10FFFF

  private(set) var ranges: [ClosedRange<UInt32>] = []

  init() {}

  init(_ ranges: [ClosedRange<UInt32>]) {
    for r in ranges { insert(r) }
  }

  var isEmpty: Bool { ranges.isEmpty }

  /// Every code point.
  static let all = RE2CharacterSet([0...maxCodePoint])
  /// Every code point but `\n` (RE2's `.` without `(?s)`).
  static let allButNewline = RE2CharacterSet([0...9, 11...maxCodePoint])

  /// Whether `scalar` is in the set (binary search).
  func contains(_ scalar: UInt32) -> Bool {
    var lo = 0
    var hi = ranges.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if ranges[mid].upperBound < scalar {
        lo = mid + 1
      } else if ranges[mid].lowerBound > scalar {
        hi = mid
      } else {
        return true
      }
    }
    return false
  }

  /// Adds `range`, merging it with overlapping or adjacent ranges.
  mutating func insert(_ range: ClosedRange<UInt32>) {
    var lo = range.lowerBound
    var hi = range.upperBound
    // Ranges arrive mostly in ascending order: find the insertion point from the end.
    var i = ranges.count
    while i > 0, ranges[i - 1].lowerBound > hi &+ 1 { i -= 1 }
    var j = i
    while j > 0, ranges[j - 1].upperBound &+ 1 >= lo {
      j -= 1
      lo = min(lo, ranges[j].lowerBound)
      hi = max(hi, ranges[j].upperBound)
    }
    ranges.replaceSubrange(j..<i, with: [lo...hi])
  }

  mutating func insert(_ scalar: UInt32) { insert(scalar...scalar) }

  mutating func formUnion(_ other: RE2CharacterSet) {
    for r in other.ranges { insert(r) }
  }

  /// The code points in 0...0x10FFFF that are not in the set.
  func inverted() -> RE2CharacterSet {
    var out = RE2CharacterSet()
    var next: UInt32 = 0
    for r in ranges {
      if r.lowerBound > next { out.ranges.append(next...(r.lowerBound - 1)) }
      next = r.upperBound &+ 1
    }
    if next <= Self.maxCodePoint && !(ranges.last?.upperBound == Self.maxCodePoint) {
      out.ranges.append(next...Self.maxCodePoint)
    }
    return out
  }

  /// The set with the simple case-fold partners of its ASCII members added.
  ///
  /// Only valid for sets of ASCII code points (RE2's Perl and POSIX classes). Outside ASCII,
  /// Unicode simple case folding links `k` with U+212A KELVIN SIGN and `s` with U+017F LATIN
  /// SMALL LETTER LONG S, and nothing else.
  func foldedASCII() -> RE2CharacterSet {
    var out = self
    for r in ranges {
      for c in r where c < 0x80 {
        switch c {
        case 0x41...0x5A: out.insert(c + 0x20)
        case 0x61...0x7A: out.insert(c - 0x20)
        default: break
        }
        if c == 0x4B || c == 0x6B { out.insert(0x212A) }
        if c == 0x53 || c == 0x73 { out.insert(0x17F) }
      }
    }
    return out
  }

  /// Whether every code point that can occur in valid UTF-8 text is in the set.
  var coversAllScalars: Bool {
    inverted().ranges.allSatisfy { $0.lowerBound >= 0xD800 && $0.upperBound <= 0xDFFF }
  }

  /// Whether the set holds at least one Unicode scalar (not only surrogates).
  var containsScalars: Bool {
    ranges.contains { $0.lowerBound < 0xD800 || $0.upperBound > 0xDFFF }
  }

  /// The set as the inside of a PCRE2 class (`a-z\x{e9}`), surrogates left out.
  ///
  /// PCRE2 in UTF mode rejects surrogate code points, and they never occur in valid UTF-8.
  func pcre2ClassBody() -> String {
    var out = ""
    for r in ranges {
      for piece in Self.splitAtSurrogates(r) {
        out += Self.classAtom(piece.lowerBound)
        if piece.upperBound != piece.lowerBound {
          if piece.upperBound != piece.lowerBound + 1 { out += "-" }
          out += Self.classAtom(piece.upperBound)
        }
      }
    }
    return out
  }

  private static func splitAtSurrogates(_ r: ClosedRange<UInt32>) -> [ClosedRange<UInt32>] {
    var out: [ClosedRange<UInt32>] = []
    if r.lowerBound < 0xD800 { out.append(r.lowerBound...min(r.upperBound, 0xD7FF)) }
    if r.upperBound > 0xDFFF { out.append(max(r.lowerBound, 0xE000)...r.upperBound) }
    return out
  }

  /// One code point inside a PCRE2 class: ASCII letters and digits as themselves, all else hex.
  private static func classAtom(_ c: UInt32) -> String {
    switch c {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: String(UnicodeScalar(UInt8(c)))
    default: "\\x{" + String(c, radix: 16) + "}"
    }
  }
}
