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
import Winnow
@_spi(WSInternal) import WSCore

/// The hub's connection pipeline: HTTP/1.1 with the websocket upgrade of `GET /api/v3/ws`,
/// authenticated before the upgrade.
///
/// Adapted from hummingbird-websocket's `HTTP1WebSocketUpgradeChannel` (Apache 2.0), which
/// answers every refused upgrade with 400: here a refused upgrade gets the status of its
/// refusal (401 with `WWW-Authenticate`, 403, 404 for another path), as SPEC section 9 asks.
struct HubChildChannel: ServerChildChannel, HTTPChannelHandler {
  enum UpgradeResult: Sendable {
    case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, Credential, Logger)
    /// An upgrade of a ``WebSocketRoute``'s path (no token at the upgrade).
    case route(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WebSocketRoute, Logger)
    case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPError, Logger)
  }

  struct Value: ServerChildChannelValue {
    let upgradeResult: EventLoopFuture<UpgradeResult>
    let channel: any Channel
  }

  /// The websocket path.
  static let webSocketPath = "/api/v3/ws"

  let responder: HTTPChannelHandler.Responder
  let webSocket: WebSocketServerConfiguration
  /// The credential of an upgrade request, or the `HTTPError` refusing it.
  let authorize: @Sendable (Request) throws -> Credential
  /// Serves an upgraded connection.
  let serve:
    @Sendable (Credential, any Channel, WebSocketInboundStream, WebSocketOutboundWriter, Logger) async ->
      Void
  /// Other front-ends' websocket paths.
  var routes: [String: WebSocketRoute] = [:]

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    channel.eventLoop.makeCompletedFuture {
      let refusal = NIOLoopBoundBox<HTTPError?>(nil, eventLoop: channel.eventLoop)
      let accepted = NIOLoopBoundBox<Credential?>(nil, eventLoop: channel.eventLoop)
      let routed = NIOLoopBoundBox<WebSocketRoute?>(nil, eventLoop: channel.eventLoop)
      let routes = self.routes
      let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
        maxFrameSize: webSocket.maxFrameSize,
        shouldUpgrade: { channel, head in
          do {
            let request = Request(
              head: try HTTPRequest(head, secure: false, splitCookie: false), body: .init(buffer: .init()))
            if let route = routes[request.uri.path] {
              routed.value = route
              return channel.eventLoop.makeSucceededFuture(HTTPHeaders())
            }
            guard request.uri.path == Self.webSocketPath else {
              throw HTTPError(.notFound, message: "websockets are served at \(Self.webSocketPath)")
            }
            accepted.value = try authorize(request)
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
              wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            if let route = routed.value { return UpgradeResult.route(asyncChannel, route, logger) }
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
              wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            if let error = refusal.value { return UpgradeResult.refused(asyncChannel, error, logger) }
            return UpgradeResult.notUpgraded(asyncChannel)
          }
        })
      var pipeline = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(
        upgradeConfiguration: upgradeConfiguration)
      pipeline.enablePipelining = false
      pipeline.enableErrorHandling = false
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
      case .route(let asyncChannel, let route, let logger):
        let remoteAddress = HubRequestContext.describe(value.channel.remoteAddress)
        _ = try await WebSocketHandler.handle(
          type: .server,
          configuration: .init(
            extensions: [], autoPing: webSocket.autoPing, closeTimeout: webSocket.closeTimeout,
            validateUTF8: webSocket.validateUTF8, maxFrameSize: webSocket.maxFrameSize),
          asyncChannel: asyncChannel, context: LoggerContext(logger: logger)
        ) { inbound, outbound, _ in
          await route.serve(inbound, outbound, remoteAddress)
        }
      case .websocket(let asyncChannel, let credential, let logger):
        let channel = value.channel
        let serve = self.serve
        _ = try await WebSocketHandler.handle(
          type: .server,
          configuration: .init(
            extensions: [], autoPing: webSocket.autoPing, closeTimeout: webSocket.closeTimeout,
            validateUTF8: webSocket.validateUTF8, maxFrameSize: webSocket.maxFrameSize),
          asyncChannel: asyncChannel, context: LoggerContext(logger: logger)
        ) { inbound, outbound, context in
          await serve(credential, channel, inbound, outbound, context.logger)
        }
      }
    } catch {
      logger.debug("connection ended: \(error)")
    }
  }

  /// Answers a refused upgrade with its status and message, then closes the connection.
  private static func writeRefusal(
    _ error: HTTPError, to channel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, logger: Logger
  ) async {
    let message = JSONValue.string(error.body ?? error.status.reasonPhrase)
    let body = ByteBuffer(string: JSONValue.object(JSONObject([("error", .object(JSONObject([("message", message)])))])).minified)
    var headers = error.headers
    headers[.connection] = "close"
    headers[.contentType] = "application/json"
    headers[.contentLength] = String(body.readableBytes)
    do {
      try await channel.executeThenClose { _, outbound in
        try await outbound.write(
          contentsOf: [.head(HTTPResponse(status: error.status, headerFields: headers)), .body(body), .end(nil)])
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
