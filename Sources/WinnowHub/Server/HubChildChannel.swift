import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
@_spi(WSInternal) import WSCore
import Winnow

/// The hub's connection pipeline: HTTP/1.1 with the websocket upgrades of its
/// ``WebSocketRoute``s, authenticated before the upgrade when the route asks.
///
/// Adapted from hummingbird-websocket's `HTTP1WebSocketUpgradeChannel` (Apache 2.0), which
/// answers every refused upgrade with 400: here a refused upgrade gets the status of its
/// refusal (401 with `WWW-Authenticate`, 403, 404 for another path), as SPEC section 9 asks.
struct HubChildChannel: ServerChildChannel, HTTPChannelHandler {
  enum UpgradeResult: Sendable {
    case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, Accepted, Logger)
    case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPError, Logger)
  }

  struct Value: ServerChildChannelValue {
    let upgradeResult: EventLoopFuture<UpgradeResult>
    let channel: any Channel
  }

  /// An upgrade request let through: its route, request and credential.
  struct Accepted: Sendable {
    let route: WebSocketRoute
    let request: Request
    let credential: Credential?
  }

  let responder: HTTPChannelHandler.Responder
  let webSocket: WebSocketServerConfiguration
  /// The websocket endpoints, by path.
  let routes: [String: WebSocketRoute]
  /// The credential of a request holding the rights, or the `HTTPError` refusing it.
  let authorize: @Sendable (Request, Rights) throws -> Credential

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    channel.eventLoop.makeCompletedFuture {
      let refusal = NIOLoopBoundBox<HTTPError?>(nil, eventLoop: channel.eventLoop)
      let accepted = NIOLoopBoundBox<Accepted?>(nil, eventLoop: channel.eventLoop)
      let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
        maxFrameSize: webSocket.maxFrameSize,
        shouldUpgrade: { channel, head in
          do {
            let request = Request(
              head: try HTTPRequest(head, secure: false, splitCookie: false),
              body: .init(buffer: .init()))
            guard let route = routes[request.uri.path] else {
              throw HTTPError(
                .notFound,
                message: "websockets are served at \(routes.keys.sorted().joined(separator: ", "))")
            }
            let credential = try route.requiredRights.map { try authorize(request, $0) }
            accepted.value = Accepted(route: route, request: request, credential: credential)
            return channel.eventLoop.makeSucceededFuture(HTTPHeaders())
          } catch let error as HTTPError {
            refusal.value = error
          } catch {
            refusal.value = HTTPError(.badRequest, message: "malformed upgrade request")
          }
          return channel.eventLoop.makeSucceededFuture(nil)
        },
        upgradePipelineHandler: { channel, _ in
          channel.eventLoop.makeCompletedFuture {
            let asyncChannel = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
              wrappingChannelSynchronously: channel,
              configuration: .init(isOutboundHalfClosureEnabled: true))
            return UpgradeResult.websocket(asyncChannel, accepted.value!, logger)
          }
        })
      let upgradeConfiguration = NIOTypedHTTPServerUpgradeConfiguration(
        upgraders: [upgrader],
        notUpgradingCompletionHandler: { channel in
          channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try channel.pipeline.syncOperations.addHandler(
              HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
              wrappingChannelSynchronously: channel,
              configuration: .init(isOutboundHalfClosureEnabled: true))
            if let error = refusal.value {
              return UpgradeResult.refused(asyncChannel, error, logger)
            }
            return UpgradeResult.notUpgraded(asyncChannel)
          }
        })
      var pipeline = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(
        upgradeConfiguration: upgradeConfiguration)
      pipeline.enablePipelining = false
      // NIO answers malformed HTTP with 400 and closes the connection.
      pipeline.enableErrorHandling = true
      pipeline.enableResponseHeaderValidation = false
      let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
        configuration: pipeline)
      return Value(upgradeResult: result, channel: channel)
    }
  }

  func handle(value: Value, logger: Logger) async {
    do {
      switch try await value.upgradeResult.get() {
      case .notUpgraded(let http1):
        await handleHTTP(asyncChannel: http1, logger: logger)
      case .refused(let http1, let error, let logger):
        await Self.writeRefusal(error, to: http1, logger: logger)
      case .websocket(let asyncChannel, let accepted, let logger):
        let channel = value.channel
        _ = try await WebSocketHandler.handle(
          type: .server,
          configuration: .init(
            extensions: [], autoPing: webSocket.autoPing, closeTimeout: webSocket.closeTimeout,
            validateUTF8: webSocket.validateUTF8, maxFrameSize: webSocket.maxFrameSize),
          asyncChannel: asyncChannel, context: LoggerContext(logger: logger)
        ) { inbound, outbound, context in
          let connection = WebSocketRoute.Connection(
            credential: accepted.credential, request: accepted.request,
            remoteAddress: HubRequestContext.describe(channel.remoteAddress), channel: channel,
            logger: context.logger)
          await accepted.route.serve(connection, inbound, outbound)
        }
      }
    } catch {
      logger.debug("connection ended: \(error)")
    }
  }

  /// Answers a refused upgrade with its status and message, then closes the connection.
  private static func writeRefusal(
    _ error: HTTPError, to channel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>,
    logger: Logger
  ) async {
    let message = JSONValue.string(error.body ?? error.status.reasonPhrase)
    let body = ByteBuffer(
      string: JSONValue.object(JSONObject([("error", .object(JSONObject([("message", message)])))]))
        .minified)
    var headers = error.headers
    headers[.connection] = "close"
    headers[.contentType] = "application/json"
    headers[.contentLength] = String(body.readableBytes)
    do {
      try await channel.executeThenClose { _, outbound in
        try await outbound.write(
          contentsOf: [
            .head(HTTPResponse(status: error.status, headerFields: headers)), .body(body),
            .end(nil),
          ])
      }
    } catch {
      logger.trace("could not write the refusal: \(error)")
    }
  }
}

/// The websocket context: a logger.
struct LoggerContext: WebSocketContext {
  let logger: Logger
}
