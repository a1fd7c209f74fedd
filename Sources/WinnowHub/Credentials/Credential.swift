import Winnow

/// One token's identity: who presents it, what it may do and what it may see.
public struct Credential: Sendable {
  /// The principal named in acks, connection events and `/api/v3/connections`.
  public let principal: String
  /// What the principal may do.
  public let rights: Rights
  /// The specifiers restricting what the principal sees: an event is delivered only when one of
  /// them matches it.
  ///
  /// Empty: every event.
  public let restrictions: [EventSpecifier]
  /// The token; compared in constant time, never printed.
  let token: [UInt8]

  /// The credential of `token` for `principal`, with `rights`, seeing only what one of
  /// `restrictions` matches (everything when there are none).
  public init(token: String, principal: String, rights: Rights, restrictions: [EventSpecifier] = [])
  {
    self.token = Array(token.utf8)
    self.principal = principal
    self.rights = rights
    self.restrictions = restrictions
  }

  /// The identity of every client of a hub started with `--no-auth`.
  public static let anonymous = Credential(
    token: "", principal: "anonymous", rights: [.read, .publish])

  /// Whether the principal sees every event.
  public var isRestricted: Bool { !restrictions.isEmpty }
}
