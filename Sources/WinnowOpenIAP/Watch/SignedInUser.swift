/// Who a connection signed in as: what the hub's credentials say about a token.
public struct SignedInUser: Sendable, Hashable {
  /// The principal the token names (`user:rocketskates`).
  public var principal: String
  /// The token the client presented (a `jwt`, or `username:password`).
  public var token: String
  /// The user name the client gave, or the principal when it signed in with a token.
  public var username: String
  /// Whether the token has the right to read events (needed for `watch`).
  public var mayWatch: Bool

  /// Creates a signed-in user.
  public init(principal: String, token: String, username: String, mayWatch: Bool) {
    self.principal = principal
    self.token = token
    self.username = username
    self.mayWatch = mayWatch
  }
}

/// Checks a presented token against the hub's credentials: the user it signs in, or nil when the
/// token is unknown.
///
/// `username` is the name given with a password (nil for a bare token).
public typealias TokenAuthenticator =
  @Sendable (_ token: String, _ username: String?) -> SignedInUser?
