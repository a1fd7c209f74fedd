/// Checks of subject syntax, made before a subject is written to the server so that a bad
/// subject is reported to the caller instead of closing the connection with `-ERR`.
enum NATSSubject {
  /// What a subject is used for: publishing needs a literal subject, subscribing allows
  /// wildcards (`*` as a whole token, `>` as the whole last token).
  enum Use { case publish, subscribe }

  /// Nil when `subject` is valid for `use`, else the reason it is not.
  static func problem(in subject: String, for use: Use) -> String? {
    if subject.isEmpty { return "the subject is empty" }
    var tokenLength = 0
    var tokenIsWildcard = false
    var sawFullWildcard = false
    var index = 0
    for byte in subject.utf8 {
      defer { index += 1 }
      if sawFullWildcard { return "'>' must be the last token" }
      switch byte {
      case UInt8(ascii: "."):
        if tokenLength == 0 { return "empty token at byte \(index)" }
        tokenLength = 0
        tokenIsWildcard = false
        continue
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), 0:
        return "whitespace or NUL at byte \(index)"
      case UInt8(ascii: "*"), UInt8(ascii: ">"):
        if use == .publish {
          return "wildcard '\(Character(Unicode.Scalar(byte)))' in a publish subject"
        }
        if tokenLength != 0 { return "wildcard inside a token at byte \(index)" }
        tokenIsWildcard = true
        sawFullWildcard = byte == UInt8(ascii: ">")
      default:
        if tokenIsWildcard { return "wildcard inside a token at byte \(index)" }
      }
      tokenLength += 1
    }
    if tokenLength == 0 { return "empty token at the end" }
    return nil
  }
}
