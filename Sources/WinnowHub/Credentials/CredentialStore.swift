import Winnow

/// The tokens a hub accepts (SPEC section 9): read from `--tokens FILE`, given by `--token`, or
/// nobody's when the hub runs with `--no-auth`.
///
/// Lookups compare the presented token with every known token in constant time for a given
/// length, so the time taken does not tell which bytes matched.
public struct CredentialStore: Sendable {
  /// The known credentials, in the order given.
  public let credentials: [Credential]
  /// Whether every client, whatever it presents, is ``Credential/anonymous``.
  public let allowsAnonymous: Bool

  /// A store with `credentials`; with `allowsAnonymous`, every request is anonymous.
  public init(_ credentials: [Credential], allowsAnonymous: Bool = false) {
    self.credentials = credentials
    self.allowsAnonymous = allowsAnonymous
  }

  /// The store of `--no-auth`.
  public static let noAuth = CredentialStore([], allowsAnonymous: true)

  /// `--token TOKEN`: short for the line `TOKEN user:token read,publish`.
  public static func shortToken(_ token: String) -> Credential {
    Credential(token: token, principal: "user:token", rights: [.read, .publish])
  }

  /// The credential of `token`, or nil when it is unknown (or missing).
  ///
  /// Without auth every client is anonymous, whatever it presents.
  public func authenticate(_ token: String?) -> Credential? {
    if allowsAnonymous { return .anonymous }
    guard let token else { return nil }
    let presented = Array(token.utf8)
    var found: Credential?
    for credential in credentials where Self.constantTimeEquals(presented, credential.token) {
      // No early exit: every token is compared whatever matched before.
      if found == nil { found = credential }
    }
    return found
  }

  /// Whether `a` and `b` are equal, in a time that depends only on their lengths.
  static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
    let n = max(a.count, b.count)
    for i in 0..<n {
      let x = i < a.count ? a[i] : 0
      let y = i < b.count ? b[i] : 0
      difference |= x ^ y
    }
    return difference == 0
  }
}
