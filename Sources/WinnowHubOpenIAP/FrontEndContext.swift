import WinnowHub
import WinnowOpenIAP

/// What the OpenIAP and OpenFlow front-ends share with the hub: the hub itself and the
/// credentials its DRP front-end uses (SPEC section 9), so a token means the same everywhere.
package struct FrontEndContext: Sendable {
  /// The hub the front-ends register with and receive events from.
  package let hub: EventHub
  /// The hub's credentials.
  package let credentials: CredentialStore

  package init(hub: EventHub, credentials: CredentialStore) {
    self.hub = hub
    self.credentials = credentials
  }

  /// The sessions' token check: the hub's credential for `token`, as a signed-in user who may
  /// watch when the credential has the `read` right.
  var authenticate: TokenAuthenticator {
    let credentials = credentials
    return { token, username in
      guard let credential = credentials.authenticate(token) else { return nil }
      return SignedInUser(
        principal: credential.principal, token: token, username: username ?? credential.principal,
        mayWatch: credential.rights.contains(.read))
    }
  }

  /// The hub credential of a signed-in user.
  func credential(of user: SignedInUser) -> Credential? {
    credentials.authenticate(user.token)
  }
}
