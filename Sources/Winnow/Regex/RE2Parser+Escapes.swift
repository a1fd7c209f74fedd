extension RE2Parser {
  /// Parses an escape outside a class: an assertion, `\Q...\E`, a class shorthand or a literal.
  ///
  ///     escape := "\A" | "\z" | "\b" | "\B" | "\Q" { char } [ "\E" ]
  ///             | "\p" name | "\P" name | "\d" | "\D" | "\s" | "\S" | "\w" | "\W"
  ///             | literal-escape
  mutating func parseEscapeAtom() throws(RegexSyntaxError) {
    let start = position
    switch byte(at: position + 1) {
    case UInt8(ascii: "b"), UInt8(ascii: "B"):
      // PCRE2's \b without PCRE2_UCP is ASCII-only, as RE2's is.
      push(
        bytes[position + 1] == UInt8(ascii: "b")
          ? .assertion("\\b", .wordBoundary) : .assertion("\\B", .notWordBoundary))
      position += 2
    case UInt8(ascii: "A"):
      push(.assertion("\\A", .beginText))
      position += 2
    case UInt8(ascii: "z"):
      push(.assertion("\\z", .endText))
      position += 2
    case UInt8(ascii: "C"):
      // google-re2 reads \C as "any byte", which can split a UTF-8 character; Go's regexp
      // (the engine DRP runs) rejects it, and PCRE2's \C is unsafe in UTF mode.
      throw RegexSyntaxError("\\C (any byte) is not supported", at: start)
    case UInt8(ascii: "Q"):
      position += 2
      while position < bytes.count {
        if bytes[position] == UInt8(ascii: "\\") && byte(at: position + 1) == UInt8(ascii: "E") {
          position += 2
          break
        }
        push(literal(decodeScalar()))
      }
    case UInt8(ascii: "p"), UInt8(ascii: "P"):
      var item = RE2ClassBuilder()
      try item.add(unicodeGroupAt: &self)
      push(item.piece(negated: false, foldCase: flags.foldCase))
    case let letter? where RE2UnicodeClass.perl(letter | 0x20) != nil:
      var item = RE2ClassBuilder()
      item.add(perlClass: letter, foldCase: flags.foldCase)
      position += 2
      push(item.piece(negated: false, foldCase: flags.foldCase))
    default:
      push(literal(try parseEscape()))
    }
  }

  /// Parses an escape that stands for one code point, at its backslash (RE2's `ParseEscape`).
  ///
  ///     literal-escape := "\" punctuation | "\x" hex hex | "\x{" hex { hex } "}"
  ///                     | "\0" [ octal [ octal ] ] | "\" [1-7] octal [ octal ]
  ///                     | "\n" | "\r" | "\t" | "\a" | "\f" | "\v"
  mutating func parseEscape() throws(RegexSyntaxError) -> UInt32 {
    let start = position
    position += 1
    guard position < bytes.count else { throw RegexSyntaxError("trailing backslash", at: start) }
    let c = decodeScalar()
    func octal(_ b: UInt8?) -> Bool { b.map { (0x30...0x37).contains($0) } ?? false }
    switch c {
    case 0x31...0x37 where !octal(byte(at: position)), 0x38, 0x39:
      throw RegexSyntaxError("backreferences are not supported in RE2", at: start)
    case 0x30...0x37:
      // Up to three octal digits in all (\0, \012, \123); \1 alone is a backreference.
      var code = c - 0x30
      for _ in 0..<2 where octal(byte(at: position)) {
        code = code * 8 + UInt32(bytes[position] - 0x30)
        position += 1
      }
      return code
    case UInt32(UInt8(ascii: "x")):
      return try parseHexEscape(start: start)
    case UInt32(UInt8(ascii: "n")): return 0x0A
    case UInt32(UInt8(ascii: "r")): return 0x0D
    case UInt32(UInt8(ascii: "t")): return 0x09
    case UInt32(UInt8(ascii: "a")): return 0x07
    case UInt32(UInt8(ascii: "f")): return 0x0C
    case UInt32(UInt8(ascii: "v")): return 0x0B
    case UInt32(UInt8(ascii: "g")), UInt32(UInt8(ascii: "k")):
      throw RegexSyntaxError("backreferences are not supported in RE2", at: start)
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
      let name = "\\" + String(UnicodeScalar(UInt8(c)))
      throw RegexSyntaxError(
        c == UInt32(UInt8(ascii: "E"))
          ? "\\E without a preceding \\Q" : "escape sequence \(name) is not supported in RE2",
        at: start)
    case 0..<0x80:
      // Escaped ASCII punctuation (and space, controls, `_`) stands for itself.
      return c
    default:
      throw RegexSyntaxError("only ASCII punctuation can be escaped with \\", at: start)
    }
  }

  /// Parses the rest of `\xHH` or `\x{H...}` (the `x` has been read).
  private mutating func parseHexEscape(start: Int) throws(RegexSyntaxError) -> UInt32 {
    func hex(_ b: UInt8?) -> UInt32? { b.flatMap(ByteClass.hexValue).map(UInt32.init) }
    if byte(at: position) == UInt8(ascii: "{") {
      position += 1
      var code: UInt32 = 0
      var digits = 0
      while let d = hex(byte(at: position)) {
        code = code * 16 + d
        digits += 1
        position += 1
        if code > RE2CharacterSet.maxCodePoint {
          throw RegexSyntaxError("invalid \\x{...} escape: above U+10FFFF", at: start)
        }
      }
      guard digits > 0, byte(at: position) == UInt8(ascii: "}") else {
        throw RegexSyntaxError(
          "invalid \\x{...} escape: expected hexadecimal digits and }", at: start)
      }
      position += 1
      return code
    }
    guard let high = hex(byte(at: position)), let low = hex(byte(at: position + 1)) else {
      throw RegexSyntaxError("invalid \\x escape: expected two hexadecimal digits", at: start)
    }
    position += 2
    return high * 16 + low
  }
}
