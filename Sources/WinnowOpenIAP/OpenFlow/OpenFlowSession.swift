import Winnow

/// The OpenFlow command state machine of one connection (SPEC section 11), without sockets: it
/// takes the client's text frames, joins chunks, and returns the frames to send and the watches
/// to register.
///
/// - `signin` (`jwt`, or `username`/`password` presenting `username:password`) → `signin` reply
///   with `jwt`, `user{_id,name,username}`, `supports_watch: true` and `websocket_package_size`.
/// - `ping` → `pong`; `watch {collectionname, aggregates}` → reply `{id, collectionname,
///   aggregates}`; `unwatch {id}` → reply `{id}`.
/// - A client's answers (`pong`, `watchevent`, and `error` with a `replyto`) get no reply.
/// - A message without `command`, an unknown command, a watch before signin, `data` that is
///   not the command's JSON, or a chunking error → `error` `{"message": ...}`.
///
/// Replies keep the request's command (or `pong`/`error`), get a new id and `replyto` = the
/// request's id, and are chunked when their `data` is longer than the package size.
public struct OpenFlowSession: Sendable {
  /// The package size announced in the signin reply and used to chunk what the hub sends.
  public var packageSize = OpenFlowChunkSplitter.defaultPackageSize
  /// The most watches one connection may hold at once.
  public var maxWatches = 1_024
  /// The limits watch aggregates are parsed with.
  public var parseLimits = ParseLimits()
  /// Who the connection signed in as, or nil before a successful `signin`.
  public private(set) var user: SignedInUser?
  /// The ids of the connection's watches.
  public private(set) var watchIDs: Set<String> = []
  private var joiner: OpenFlowChunkJoiner
  private let authenticate: TokenAuthenticator

  /// Creates the session of a new connection, checking tokens with `authenticate`.
  public init(
    authenticate: @escaping TokenAuthenticator,
    chunkLimits: OpenFlowChunkJoiner.Limits = OpenFlowChunkJoiner.Limits()
  ) {
    self.authenticate = authenticate
    joiner = OpenFlowChunkJoiner(limits: chunkLimits)
  }

  /// Handles one text frame and returns what to do, in order; `.send` carries a whole frame.
  public mutating func handle(frame: [UInt8]) -> [SessionAction<String>] {
    do {
      let chunk = try OpenFlowMessage(parsing: frame)
      guard let message = try joiner.accept(chunk) else { return [] }
      return try dispatch(message)
    } catch {
      return send(
        OpenFlowMessage(
          id: MessageIDGenerator.next(), replyTo: error.messageID, command: "error",
          data: Self.errorData(error.description)))
    }
  }

  /// `{"message": text}`, the data of an `error` reply.
  static func errorData(_ text: String) -> String {
    JSONValue.object(JSONObject([(key: "message", value: .string(text))])).minified
  }

  private mutating func dispatch(_ request: OpenFlowMessage) throws(OpenFlowError)
    -> [SessionAction<String>]
  {
    guard let command = request.command, !command.isEmpty else {
      throw OpenFlowError("message has no command", messageID: request.id)
    }
    switch command {
    case "ping":
      return send(reply(to: request, command: "pong", data: "{}"))
    case "pong", "watchevent":
      return []
    case "error" where request.replyTo != nil:
      return []
    case "signin":
      return send(reply(to: request, command: "signin", data: try signin(request)))
    case "watch", "unwatch":
      break
    default:
      throw OpenFlowError("Unknown command \(command)", messageID: request.id)
    }
    guard let user else {
      throw OpenFlowError(
        "\(command) needs a signed-in connection: send signin first", messageID: request.id)
    }
    return command == "watch" ? try watch(request, user: user) : try unwatch(request)
  }

  private mutating func signin(_ request: OpenFlowMessage) throws(OpenFlowError) -> String {
    let body = try object(of: request)
    let token: String
    let username: String?
    if case .string(let jwt)? = body["jwt"], !jwt.isEmpty {
      (token, username) = (jwt, nil)
    } else if case .string(let name)? = body["username"], !name.isEmpty {
      var password = ""
      if case .string(let given)? = body["password"] { password = given }
      (token, username) = ("\(name):\(password)", name)
    } else {
      throw OpenFlowError("signin needs a jwt, or a username and password", messageID: request.id)
    }
    guard let signedIn = authenticate(token, username) else {
      throw OpenFlowError("signin failed: unknown credentials", messageID: request.id)
    }
    if body["validate_only"] != .bool(true) { user = signedIn }
    let response: JSONValue = [
      "jwt": .string(signedIn.token),
      "user": [
        "_id": .string(signedIn.principal), "name": .string(signedIn.principal),
        "username": .string(signedIn.username),
      ],
      "supports_watch": true,
      "websocket_package_size": .number(JSONNumber(packageSize)),
    ]
    return response.minified
  }

  private mutating func watch(_ request: OpenFlowMessage, user: SignedInUser)
    throws(OpenFlowError) -> [SessionAction<String>]
  {
    guard user.mayWatch else {
      throw OpenFlowError("\(user.principal) has no right to read events", messageID: request.id)
    }
    guard watchIDs.count < maxWatches else {
      throw OpenFlowError(
        "a connection may hold at most \(maxWatches) watches", messageID: request.id)
    }
    let body = try object(of: request)
    var collectionName = ""
    switch body["collectionname"] {
    case nil, .null?: break
    case .string(let name)?: collectionName = name
    case let other?:
      throw OpenFlowError(
        "collectionname must be a string, not a \(other.kindName)", messageID: request.id)
    }
    var paths: [String] = []
    let aggregates = body["aggregates"] ?? .array([])
    switch aggregates {
    case .null: break
    case .array(let entries):
      for (index, entry) in entries.enumerated() {
        guard case .string(let path) = entry else {
          throw OpenFlowError(
            "aggregates[\(index)] must be a Winnow filter string, not a \(entry.kindName)",
            messageID: request.id)
        }
        paths.append(path)
      }
    case .string(let path): paths.append(path)
    default:
      throw OpenFlowError(
        "aggregates must be an array of Winnow filter strings, not a \(aggregates.kindName)",
        messageID: request.id)
    }
    let watch: WatchRequest
    do {
      watch = try WatchRequest(collectionName: collectionName, paths: paths, limits: parseLimits)
    } catch {
      throw OpenFlowError(error.description(listName: "aggregates"), messageID: request.id)
    }
    let id = MessageIDGenerator.next()
    watchIDs.insert(id)
    let response: JSONValue = [
      "id": .string(id), "collectionname": .string(collectionName), "aggregates": aggregates,
    ]
    return [.watch(id: id, watch)]
      + send(reply(to: request, command: "watch", data: response.minified))
  }

  private mutating func unwatch(_ request: OpenFlowMessage) throws(OpenFlowError)
    -> [SessionAction<String>]
  {
    let body = try object(of: request)
    guard case .string(let id)? = body["id"] else {
      throw OpenFlowError("unwatch needs the id of a watch", messageID: request.id)
    }
    guard watchIDs.remove(id) != nil else {
      throw OpenFlowError(
        "no watch with id \(JSONValue.string(id).minified) on this connection",
        messageID: request.id)
    }
    let response: JSONValue = ["id": .string(id)]
    return [.unwatch(id: id)]
      + send(reply(to: request, command: "unwatch", data: response.minified))
  }

  /// The request's `data` as a JSON object (an absent `data` is `{}`).
  private func object(of request: OpenFlowMessage) throws(OpenFlowError) -> JSONValue {
    guard let data = request.data, !data.isEmpty else { return .object(JSONObject()) }
    let value: JSONValue
    do {
      value = try JSONDocument(parsing: data).value
    } catch {
      throw OpenFlowError(
        "the data of \(request.command ?? "the message") is not JSON: \(error.message)",
        messageID: request.id)
    }
    guard case .object = value else {
      throw OpenFlowError(
        "the data of \(request.command ?? "the message") is a \(value.kindName), not an object",
        messageID: request.id)
    }
    return value
  }

  private func reply(to request: OpenFlowMessage, command: String, data: String) -> OpenFlowMessage
  {
    OpenFlowMessage(
      id: MessageIDGenerator.next(), replyTo: request.id, command: command, data: data,
      priority: request.priority ?? 1)
  }

  /// `.send` actions for the frames of `message`, chunked at the package size.
  private func send(_ message: OpenFlowMessage) -> [SessionAction<String>] {
    OpenFlowChunkSplitter.frames(for: message, packageSize: packageSize).map { .send($0) }
  }
}

/// The `watchevent` pushed to an OpenFlow client for an event that matches a watch: data
/// `{"id": watch id, "result": the event's JSON byte for byte}`, chunked at the package size.
public enum OpenFlowWatchEvent {
  /// The text frames of one `watchevent`.
  public static func frames(
    watchID: String, json: some Collection<UInt8>,
    packageSize: Int = OpenFlowChunkSplitter.defaultPackageSize
  ) -> [String] {
    var data: [UInt8] = []
    data.reserveCapacity(json.count + watchID.utf8.count + 24)
    data.append(contentsOf: #"{"id":"#.utf8)
    JSONStringWriter.appendQuoted(watchID.utf8, to: &data)
    data.append(contentsOf: #","result":"#.utf8)
    data.append(contentsOf: json)
    data.append(UInt8(ascii: "}"))
    let message = OpenFlowMessage(
      id: MessageIDGenerator.next(), command: "watchevent",
      data: String(decoding: data, as: UTF8.self))
    return OpenFlowChunkSplitter.frames(for: message, packageSize: packageSize)
  }
}
