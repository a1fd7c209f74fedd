/// RE2's named character classes: Perl (`\d`), POSIX (`[:alpha:]`) and Unicode (`\p{Greek}`).
///
/// The Unicode tables are RE2's own (generated from google-re2 by
/// `Grammar/regex/generate_unicode_tables.py`), so `\p{...}` matches what RE2 matches whatever
/// Unicode version PCRE2 was built with, and PCRE2's property support is never used.
enum RE2UnicodeClass {
  /// The ASCII set of a Perl class letter (`d`, `s`, `w`; upper case is the caller's negation).
  static func perl(_ letter: UInt8) -> RE2CharacterSet? {
    switch letter {
    case UInt8(ascii: "d"): RE2CharacterSet([0x30...0x39])
    // RE2's \s is [\t\n\f\r ]: no vertical tab, unlike PCRE2 and Perl.
    case UInt8(ascii: "s"): RE2CharacterSet([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
    case UInt8(ascii: "w"): RE2CharacterSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    default: nil
    }
  }

  /// The ASCII set of a POSIX class name such as `alpha` (without `[:`, `^` or `:]`).
  static func posix(_ name: String) -> RE2CharacterSet? {
    let ranges: [ClosedRange<UInt32>]
    switch name {
    case "alnum": ranges = [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
    case "alpha": ranges = [0x41...0x5A, 0x61...0x7A]
    case "ascii": ranges = [0x00...0x7F]
    case "blank": ranges = [0x09...0x09, 0x20...0x20]
    case "cntrl": ranges = [0x00...0x1F, 0x7F...0x7F]
    case "digit": ranges = [0x30...0x39]
    case "graph": ranges = [0x21...0x7E]
    case "lower": ranges = [0x61...0x7A]
    case "print": ranges = [0x20...0x7E]
    case "punct": ranges = [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
    case "space": ranges = [0x09...0x0D, 0x20...0x20]
    case "upper": ranges = [0x41...0x5A]
    case "word": ranges = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
    case "xdigit": ranges = [0x30...0x39, 0x41...0x46, 0x61...0x66]
    default: return nil
    }
    return RE2CharacterSet(ranges)
  }

  /// The set of a Unicode class name as RE2 spells it (`L`, `Lu`, `Greek`, `Any`), or nil.
  ///
  /// Names are case-sensitive, as in RE2 (`\p{greek}` is an error).
  static func unicode(_ name: String) -> RE2CharacterSet? {
    if name == "Any" { return RE2CharacterSet([0...RE2CharacterSet.maxCodePoint]) }
    guard let encoded = encodedTables[name] else { return nil }
    var set = RE2CharacterSet()
    for item in encoded.split(separator: ",") {
      let bounds = item.split(separator: "-").compactMap { UInt32($0, radix: 16) }
      set.insert(bounds[0]...bounds[bounds.count - 1])
    }
    return set
  }

  /// Whether `scalar` may appear in a capture group name (RE2's `IsValidCaptureName`: the
  /// categories Lu, Ll, Lt, Lm, Lo, Nl, Mn, Mc, Nd and Pc).
  static func isCaptureNameCharacter(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x30...0x39, 0x41...0x5A, 0x5F, 0x61...0x7A: return true
    case 0..<0x80: return false
    default: break
    }
    for name in ["Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Mn", "Mc", "Nd", "Pc"] {
      if let set = unicode(name), set.ranges.contains(where: { $0.contains(scalar) }) {
        return true
      }
    }
    return false
  }
}
