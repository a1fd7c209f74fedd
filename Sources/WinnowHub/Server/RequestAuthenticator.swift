import HTTPTypes
import Hummingbird

/// Finds the credential of an HTTP request (SPEC section 9): 401 when the token is missing or
/// unknown, 403 when it lacks the right the request needs.
struct RequestAuthenticator: Sendable {
  let credentials: CredentialStore

  /// The request's credential, which holds `rights`.
  func credential(for request: Request, needing rights: Rights) throws -> Credential {
    let query = request.uri.queryParameters
    let token = PresentedToken.token(
      queryToken: (query["token"] ?? query["Token"]).map(String.init),
      authorization: request.headers[.authorization])
    guard let credential = credentials.authenticate(token) else {
      throw HTTPError(
        .unauthorized, headers: [.wwwAuthenticate: #"Bearer realm="winnow""#],
        message: token == nil ? "a token is required" : "unknown token")
    }
    guard credential.rights.isSuperset(of: rights) else {
      throw HTTPError(.forbidden, message: "\(credential.principal) lacks the \(rights) right")
    }
    return credential
  }
}
