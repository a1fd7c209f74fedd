extension RE2Parser {
  /// Parses what follows `(?`: a named group, a non-capturing group with flags, or flags alone.
  ///
  ///     group := "(?P<" name ">" regexp ")" | "(?<" name ">" regexp ")"
  ///            | "(?" flags ":" regexp ")" | "(?" flags ")"
  ///     flags := { "i" | "m" | "s" | "U" } [ "-" { "i" | "m" | "s" | "U" } ]   (at least one)
  ///
  /// Everything else after `(?` is a Perl or PCRE2 construct that RE2 lacks; each gets its own
  /// message at the `(`.
  mutating func parseGroupOrFlags() throws(RegexSyntaxError) {
    let start = position
    let third = byte(at: start + 2)
    let fourth = byte(at: start + 3)
    switch third {
    case UInt8(ascii: "="), UInt8(ascii: "!"):
      throw RegexSyntaxError("lookahead assertions are not supported in RE2", at: start)
    case UInt8(ascii: "<") where fourth == UInt8(ascii: "=") || fourth == UInt8(ascii: "!"):
      throw RegexSyntaxError("lookbehind assertions are not supported in RE2", at: start)
    case UInt8(ascii: "<"):
      return try parseNamedGroup(nameStart: start + 3)
    case UInt8(ascii: "P") where fourth == UInt8(ascii: "<"):
      return try parseNamedGroup(nameStart: start + 4)
    case UInt8(ascii: "P") where fourth == UInt8(ascii: "="):
      throw RegexSyntaxError("backreferences are not supported in RE2", at: start)
    case UInt8(ascii: "P") where fourth == UInt8(ascii: ">"),
      UInt8(ascii: "R"), UInt8(ascii: "&"), UInt8(ascii: "+"):
      throw RegexSyntaxError("recursion and subroutine calls are not supported in RE2", at: start)
    case let digit? where isDigit(digit):
      throw RegexSyntaxError("recursion and subroutine calls are not supported in RE2", at: start)
    case UInt8(ascii: "-") where fourth.map(isDigit) ?? false:
      throw RegexSyntaxError("recursion and subroutine calls are not supported in RE2", at: start)
    case UInt8(ascii: ">"):
      throw RegexSyntaxError("atomic groups are not supported in RE2", at: start)
    case UInt8(ascii: "("):
      throw RegexSyntaxError("conditional groups are not supported in RE2", at: start)
    case UInt8(ascii: "C"):
      throw RegexSyntaxError("callouts are not supported in RE2", at: start)
    case UInt8(ascii: "#"):
      throw RegexSyntaxError("comment groups are not supported in RE2", at: start)
    case UInt8(ascii: "|"):
      throw RegexSyntaxError("branch reset groups are not supported in RE2", at: start)
    default:
      try parseFlags()
    }
  }

  /// Parses `name>` of `(?P<name>` or `(?<name>`, then opens the group.
  ///
  /// RE2 takes the name up to the first `>` and allows letters, marks, digits and connector
  /// punctuation anywhere in it (names may repeat).
  private mutating func parseNamedGroup(nameStart: Int) throws(RegexSyntaxError) {
    let start = position
    guard let end = bytes[nameStart...].firstIndex(of: UInt8(ascii: ">")) else {
      throw RegexSyntaxError("missing > after the capture group name", at: start)
    }
    position = nameStart
    var valid = end > nameStart
    while position < end {
      if !RE2UnicodeClass.isCaptureNameCharacter(decodeScalar()) { valid = false }
    }
    if !valid { throw RegexSyntaxError("invalid capture group name", at: start) }
    position = end + 1
    try openGroup(at: start, capturing: true)
  }

  /// Parses the flags of `(?flags)` or `(?flags:`, at `(?`.
  private mutating func parseFlags() throws(RegexSyntaxError) {
    let start = position
    position += 2
    var newFlags = flags
    var negated = false
    var sawFlag = false
    while true {
      guard position < bytes.count else {
        throw RegexSyntaxError("missing ) after the group flags", at: position)
      }
      let c = bytes[position]
      switch c {
      case UInt8(ascii: "i"): newFlags.foldCase = !negated
      case UInt8(ascii: "m"): newFlags.multiLine = !negated
      case UInt8(ascii: "s"): newFlags.dotMatchesNewline = !negated
      case UInt8(ascii: "U"): newFlags.ungreedy = !negated
      case UInt8(ascii: "-"):
        if negated { throw RegexSyntaxError("flags may contain only one -", at: position) }
        negated = true
        sawFlag = false
        position += 1
        continue
      case UInt8(ascii: ":"), UInt8(ascii: ")"):
        if negated && !sawFlag { throw RegexSyntaxError("missing flag after -", at: position) }
        // RE2 accepts `(?)`, an empty flag group that changes nothing.
        if c == UInt8(ascii: ":") { try openGroup(at: start, capturing: false) }
        position += 1
        flags = newFlags
        return
      case UInt8(ascii: "x"), UInt8(ascii: "n"), UInt8(ascii: "J"), UInt8(ascii: "X"),
        UInt8(ascii: "^"), UInt8(ascii: "a"), UInt8(ascii: "u"),
        UInt8(ascii: "L"), UInt8(ascii: "d"):
        throw RegexSyntaxError(
          "flag \(String(UnicodeScalar(c))) is not supported in RE2 (only i, m, s and U are)",
          at: position)
      default:
        throw RegexSyntaxError("invalid group: expected flags i, m, s or U after (?", at: position)
      }
      sawFlag = true
      position += 1
    }
  }
}
