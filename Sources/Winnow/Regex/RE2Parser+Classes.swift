extension RE2Parser {
  /// Parses a bracketed class at its `[`.
  ///
  ///     class := "[" [ "^" ] item { item } "]"      (a "]" right after "[" or "[^" is literal)
  ///     item  := "[:" [ "^" ] posix-name ":]" | unicode-class | perl-class
  ///            | class-char [ "-" class-char ]
  mutating func parseClass() throws(RegexSyntaxError) -> RE2Piece {
    let start = position
    position += 1
    var negated = false
    if byte(at: position) == UInt8(ascii: "^") {
      negated = true
      position += 1
    }
    var builder = RE2ClassBuilder()
    var first = true
    while position < bytes.count && (bytes[position] != UInt8(ascii: "]") || first) {
      first = false
      let b = bytes[position]
      let next = byte(at: position + 1)
      if b == UInt8(ascii: "["), next == UInt8(ascii: ":"), position + 2 < bytes.count,
        try parsePOSIXClass(into: &builder)
      {
        continue
      }
      if b == UInt8(ascii: "\\"), next == UInt8(ascii: "p") || next == UInt8(ascii: "P"),
        position + 2 < bytes.count
      {
        try builder.add(unicodeGroupAt: &self)
        continue
      }
      if b == UInt8(ascii: "\\"), let letter = next, RE2UnicodeClass.perl(letter | 0x20) != nil {
        builder.add(perlClass: letter, foldCase: flags.foldCase)
        position += 2
        continue
      }
      let rangeStart = position
      let lo = try parseClassCharacter(classStart: start)
      var hi = lo
      if byte(at: position) == UInt8(ascii: "-"), let after = byte(at: position + 1),
        after != UInt8(ascii: "]")
      {
        position += 1
        hi = try parseClassCharacter(classStart: start)
        if hi < lo {
          let text = String(decoding: bytes[rangeStart..<position], as: UTF8.self)
          throw RegexSyntaxError("invalid character class range \(text)", at: rangeStart)
        }
      }
      builder.folded.insert(lo...hi)
    }
    guard position < bytes.count else { throw RegexSyntaxError("missing closing ]", at: start) }
    position += 1
    return builder.piece(negated: negated, foldCase: flags.foldCase)
  }

  /// Parses `[:name:]` or `[:^name:]` at its `[` if a `:]` follows anywhere later (RE2 looks
  /// that far); returns false, consuming nothing, when none does.
  private mutating func parsePOSIXClass(into builder: inout RE2ClassBuilder)
    throws(RegexSyntaxError) -> Bool
  {
    let start = position
    var q = start + 2
    while q + 1 < bytes.count
      && !(bytes[q] == UInt8(ascii: ":") && bytes[q + 1] == UInt8(ascii: "]"))
    {
      q += 1
    }
    guard q + 1 < bytes.count else { return false }
    var name = String(decoding: bytes[(start + 2)..<q], as: UTF8.self)
    let negated = name.hasPrefix("^")
    if negated { name.removeFirst() }
    guard let set = RE2UnicodeClass.posix(name) else {
      let text = String(decoding: bytes[start..<(q + 2)], as: UTF8.self)
      throw RegexSyntaxError("unknown POSIX class \(text)", at: start)
    }
    builder.add(asciiGroup: set, negated: negated, foldCase: flags.foldCase)
    position = q + 2
    return true
  }

  /// Parses one class character: an escape or any scalar.
  private mutating func parseClassCharacter(classStart: Int) throws(RegexSyntaxError) -> UInt32 {
    guard position < bytes.count else {
      throw RegexSyntaxError("missing closing ]", at: classStart)
    }
    if bytes[position] == UInt8(ascii: "\\") { return try parseEscape() }
    return decodeScalar()
  }
}
