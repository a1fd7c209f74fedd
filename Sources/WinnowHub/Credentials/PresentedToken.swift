/// Where a client's token is found in its HTTP request (SPEC section 9): the query parameter
/// `token` or `Token`, `Authorization: Bearer TOKEN`, or `Authorization: Basic base64(U:P)`,
/// which presents the token `U:P`.
public enum PresentedToken {
  /// The token a request presents, or nil when it presents none (or an unreadable one).
  ///
  /// - Parameters:
  ///   - queryToken: the decoded value of the `token` query parameter, else of `Token`.
  ///   - authorization: the `Authorization` header, if any.
  /// - Returns: the presented token, or nil.
  public static func token(queryToken: String?, authorization: String?) -> String? {
    if let queryToken { return queryToken }
    guard let authorization else { return nil }
    let (scheme, credentials) = split(authorization)
    switch scheme.lowercased() {
    case "bearer":
      return credentials.isEmpty ? nil : String(credentials)
    case "basic":
      guard let bytes = Base64.decode(credentials) else { return nil }
      return String(validating: bytes, as: UTF8.self)
    default:
      return nil
    }
  }

  /// The scheme and the credentials of an `Authorization` value, blanks around them removed.
  private static func split(_ header: String) -> (Substring, Substring) {
    let trimmed = header.drop { $0 == " " || $0 == "\t" }
    let scheme = trimmed.prefix { $0 != " " && $0 != "\t" }
    var rest = trimmed[scheme.endIndex...].drop { $0 == " " || $0 == "\t" }
    while let last = rest.last, last == " " || last == "\t" { rest = rest.dropLast() }
    return (scheme, rest)
  }
}
