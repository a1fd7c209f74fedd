/// A character class being built, in the three kinds of item that RE2's case folding needs.
///
/// Under `(?i)` RE2 folds every positive item, and adds a negated group (`\W`, `[:^alpha:]`,
/// `\P{Greek}`) as the complement of the *folded* group, which is then not folded again. So:
/// - `folded` holds positive items, folded with RE2's orbits (``RE2CaseFolding``) under `(?i)`;
/// - `closed` holds complements of folded ASCII groups, computed as they are added;
/// - `complementsOfFolded` holds Unicode groups whose complement is taken after folding.
///
/// The class is printed as one plain PCRE2 class of the final set, never as `(?i:[...])`: PCRE2
/// would add the case partners of every range again, and a group (which `(?i:` is) is copied
/// once per counted repetition, so `(?i)\pL{20}` would exceed PCRE2's 64 KiB program.
struct RE2ClassBuilder {
  var folded = RE2CharacterSet()
  var closed = RE2CharacterSet()
  var complementsOfFolded: [RE2CharacterSet] = []

  /// Adds a Perl class `\d \D \s \S \w \W` (`letter` is the letter after the backslash).
  mutating func add(perlClass letter: UInt8, foldCase: Bool) {
    guard let set = RE2UnicodeClass.perl(letter | 0x20) else { return }
    add(asciiGroup: set, negated: letter & 0x20 == 0, foldCase: foldCase)
  }

  /// Adds an ASCII group (Perl or POSIX) or its negation.
  mutating func add(asciiGroup set: RE2CharacterSet, negated: Bool, foldCase: Bool) {
    if !negated {
      folded.formUnion(set)
    } else if foldCase {
      closed.formUnion(set.foldedASCII().inverted())
    } else {
      closed.formUnion(set.inverted())
    }
  }

  /// Parses `\pX`, `\p{Name}`, `\PX`, `\P{Name}` or `\p{^Name}` at its backslash and adds it.
  ///
  ///     unicode-class := ( "\p" | "\P" ) ( letter | "{" [ "^" ] name "}" )
  mutating func add(unicodeGroupAt parser: inout RE2Parser) throws(RegexSyntaxError) {
    let start = parser.position
    var negated = parser.bytes[start + 1] == UInt8(ascii: "P")
    parser.position += 2
    guard parser.position < parser.bytes.count else {
      throw RegexSyntaxError("missing Unicode class name after \\p", at: start)
    }
    var name: String
    if parser.bytes[parser.position] == UInt8(ascii: "{") {
      let nameStart = parser.position + 1
      guard let end = parser.bytes[nameStart...].firstIndex(of: UInt8(ascii: "}")) else {
        throw RegexSyntaxError("missing } after the Unicode class name", at: start)
      }
      name = String(decoding: parser.bytes[nameStart..<end], as: UTF8.self)
      parser.position = end + 1
    } else {
      let nameStart = parser.position
      _ = parser.decodeScalar()
      name = String(decoding: parser.bytes[nameStart..<parser.position], as: UTF8.self)
    }
    if name.hasPrefix("^") {
      negated.toggle()
      name.removeFirst()
    }
    guard let set = RE2UnicodeClass.unicode(name) else {
      throw RegexSyntaxError("unknown Unicode class name '\(name)'", at: start)
    }
    if !negated {
      folded.formUnion(set)
    } else if parser.flags.foldCase {
      complementsOfFolded.append(set)
    } else {
      closed.formUnion(set.inverted())
    }
  }

  /// The translated class; `negated` for `[^...]`.
  func piece(negated: Bool, foldCase: Bool) -> RE2Piece {
    var union = folded
    union.formUnion(closed)
    if !foldCase {
      // Nothing is folded: compute the final set here and print it as a positive class.
      let set = negated ? union.inverted() : union
      return .atom(Self.positiveClass(set), node: .set(set), cost: Self.cost(of: set))
    }
    // RE2 compiles the folded set, which often has fewer ranges (`(?i)\p{Lu}` is mostly runs
    // of alternating cases that fold into whole blocks).
    let set = foldedSet(negated: negated)
    return .atom(Self.positiveClass(set), node: .set(set), cost: Self.cost(of: set))
  }

  /// The class's code points under `(?i)`, folded as RE2 folds them; `negated` for `[^...]`.
  func foldedSet(negated: Bool) -> RE2CharacterSet {
    var set = RE2CaseFolding.closure(of: folded)
    set.formUnion(closed)
    for group in complementsOfFolded {
      set.formUnion(RE2CaseFolding.closure(of: group).inverted())
    }
    return negated ? set.inverted() : set
  }

  /// A PCRE2 class matching exactly the scalars of `set`.
  static func positiveClass(_ set: RE2CharacterSet) -> String {
    if !set.containsScalars { return "(?!)" }
    if set.coversAllScalars { return "(?s:.)" }
    return "[" + set.pcre2ClassBody() + "]"
  }

  /// Estimated RE2 instructions for a class: one per UTF-8 byte of each range, after splitting
  /// ranges where the UTF-8 length changes (RE2 compiles classes to UTF-8 byte automata).
  ///
  /// Measured against google-re2: exact for ASCII classes, within a few instructions for small
  /// ones (`.` is 11 here, 12 in RE2); large Unicode classes share byte suffixes in RE2, which
  /// the 0.7 factor approximates (`\pL`: 1,550 here, 1,567 in RE2; `\p{Lu}`: 1,194 and 887).
  static func cost(of set: RE2CharacterSet) -> Int {
    var total = 0
    for r in set.ranges {
      for (lo, hi, length) in [
        (0, 0x7F, 1), (0x80, 0x7FF, 2), (0x800, 0xFFFF, 3), (0x10000, 0x10FFFF, 4),
      ]
      where r.lowerBound <= hi && r.upperBound >= lo {
        total += length
      }
    }
    if set.ranges.count >= 100 { total = total * 7 / 10 }
    return Swift.max(total, 1)
  }
}
