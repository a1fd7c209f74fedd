import SwiftProtobuf
import Winnow

/// The OpenIAP command state machine of one connection (SPEC section 10), without sockets: it
/// takes the client's Envelopes in order and returns what to send and what to register.
///
/// - `signin` (a `jwt`, or `username`/`password` presenting the token `username:password`) →
///   `signinreply` with the token as `jwt` and `user{_id,name,username}`.
/// - `ping` → `pong`; `getelement` → `getelementreply` echoing `xpath`.
/// - `watch` → ``SessionAction/watch(id:_:)`` then `watchreply{id}`; `unwatch` →
///   ``SessionAction/unwatch(id:)`` then `unwatchreply`.
/// - Anything before a successful signin but `signin` and `ping`, an unknown command, or `data`
///   that cannot be read → `error` with an ErrorResponse. A `pong` (an answer) gets no reply.
///
/// Dispatch is on `command` alone: any type_url, or no `data`, is accepted.
package struct OpenIAPSession: Sendable {
  /// The most watches one connection may hold at once.
  package var maxWatches = 1_024
  /// The limits watch paths are parsed with.
  package var parseLimits = ParseLimits()
  /// Who the connection signed in as, or nil before a successful `signin`.
  package private(set) var user: SignedInUser?
  /// The ids of the connection's watches.
  package private(set) var watchIDs: Set<String> = []
  private let authenticate: TokenAuthenticator

  /// Creates the session of a new connection, checking tokens with `authenticate`.
  package init(authenticate: @escaping TokenAuthenticator) {
    self.authenticate = authenticate
  }

  /// Handles one request and returns what to do, in order.
  package mutating func handle(_ request: Openiap_Envelope) -> [SessionAction<Openiap_Envelope>] {
    do {
      return try dispatch(request)
    } catch let failure {
      return [.send(.error(to: request, failure.code, failure.message))]
    }
  }

  /// A request that fails with an `error` reply.
  struct Failure: Error {
    var code: OpenIAPErrorCode
    var message: String
    init(_ code: OpenIAPErrorCode, _ message: String) {
      self.code = code
      self.message = message
    }
  }

  private mutating func dispatch(_ request: Openiap_Envelope) throws(Failure)
    -> [SessionAction<Openiap_Envelope>]
  {
    switch request.command {
    case "signin":
      return [.send(try signin(request))]
    case "ping":
      return [.send(.reply(to: request, command: "pong", Openiap_PingResponse()))]
    case "pong":
      return []
    case "getelement", "watch", "unwatch":
      break
    default:
      throw Failure(.unknownCommand, "unknown command \(quoted(request.command))")
    }
    guard let user else {
      throw Failure(
        .unauthorized, "\(request.command) needs a signed-in connection: send signin first")
    }
    switch request.command {
    case "getelement":
      let element = try payload(of: request, as: Openiap_GetElementRequest.self)
      var response = Openiap_GetElementResponse()
      response.xpath = element.xpath
      return [.send(.reply(to: request, command: "getelementreply", response))]
    case "watch":
      return try watch(request, user: user)
    default:
      return try unwatch(request)
    }
  }

  private mutating func signin(_ request: Openiap_Envelope) throws(Failure) -> Openiap_Envelope {
    let signin = try payload(of: request, as: Openiap_SigninRequest.self)
    let token: String
    let username: String?
    if !signin.jwt.isEmpty {
      (token, username) = (signin.jwt, nil)
    } else if !signin.username.isEmpty {
      (token, username) = ("\(signin.username):\(signin.password)", signin.username)
    } else {
      throw Failure(.unauthorized, "signin needs a jwt, or a username and password")
    }
    guard let signedIn = authenticate(token, username) else {
      throw Failure(.unauthorized, "signin failed: unknown credentials")
    }
    if !signin.validateonly { user = signedIn }
    var response = Openiap_SigninResponse()
    response.jwt = signedIn.token
    response.user.id = signedIn.principal
    response.user.name = signedIn.principal
    response.user.username = signedIn.username
    return .reply(to: request, command: "signinreply", response)
  }

  private mutating func watch(_ request: Openiap_Envelope, user: SignedInUser) throws(Failure)
    -> [SessionAction<Openiap_Envelope>]
  {
    guard user.mayWatch else {
      throw Failure(.forbidden, "\(user.principal) has no right to read events")
    }
    guard watchIDs.count < maxWatches else {
      throw Failure(.limitExceeded, "a connection may hold at most \(maxWatches) watches")
    }
    let body = try payload(of: request, as: Openiap_WatchRequest.self)
    let watch: WatchRequest
    do {
      watch = try WatchRequest(
        collectionName: body.collectionname, paths: body.paths, limits: parseLimits)
    } catch {
      throw Failure(.badRequest, error.description)
    }
    let id = MessageIDGenerator.next()
    watchIDs.insert(id)
    var response = Openiap_WatchResponse()
    response.id = id
    return [.watch(id: id, watch), .send(.reply(to: request, command: "watchreply", response))]
  }

  private mutating func unwatch(_ request: Openiap_Envelope) throws(Failure)
    -> [SessionAction<Openiap_Envelope>]
  {
    let body = try payload(of: request, as: Openiap_UnWatchRequest.self)
    guard watchIDs.remove(body.id) != nil else {
      throw Failure(.notFound, "no watch with id \(quoted(body.id)) on this connection")
    }
    return [
      .unwatch(id: body.id),
      .send(.reply(to: request, command: "unwatchreply", Openiap_UnWatchResponse())),
    ]
  }

  private func payload<M: Message>(of request: Openiap_Envelope, as type: M.Type) throws(Failure)
    -> M
  {
    do {
      return try request.payload(as: type)
    } catch {
      throw Failure(.badRequest, "the data of \(request.command) is not a \(M.protoMessageName)")
    }
  }

  private func quoted(_ text: String) -> String { JSONValue.string(text).minified }
}
