import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Winnow

/// `winnow serve`: DRP's websocket event API over an ``EventHub`` (SPEC section 9), on
/// Hummingbird 2.
///
/// Routes: `GET /api/v3/ws` (the websocket), `GET /api/v3/info`, `POST /api/v3/events`,
/// `GET /api/v3/connections`, `GET /metrics`. `run()` serves until SIGINT or SIGTERM, then
/// closes every websocket with 1001 and returns.
public struct HubServer: Sendable {
  /// What the server was started with.
  public let configuration: HubServerConfiguration
  /// The hub the server fronts.
  public let hub: EventHub
  /// More services to run with the server (event sources, an upstream, other front-ends).
  public let services: [any Service]
  /// More websocket endpoints on the listener (other front-ends), besides `/api/v3/ws`.
  public let webSocketRoutes: [WebSocketRoute]
  private let authenticator: RequestAuthenticator
  private let active = ActiveConnections()

  /// A server for `configuration` fronting `hub` (a new one made from `configuration.hub` when
  /// nil), running `services` and serving `webSocketRoutes` besides DRP's.
  public init(
    configuration: HubServerConfiguration, hub: EventHub? = nil, services: [any Service] = [],
    webSocketRoutes: [WebSocketRoute] = []
  ) {
    self.configuration = configuration
    self.hub = hub ?? EventHub(configuration: configuration.hub)
    self.services = services
    self.webSocketRoutes = webSocketRoutes
    authenticator = RequestAuthenticator(credentials: configuration.credentials)
  }

  /// Runs until SIGINT or SIGTERM, calling `onListening` with the bound port once the server
  /// accepts connections; every websocket is closed with 1001 before it returns.
  public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    try await makeServiceGroup(onListening: onListening).run()
  }

  /// The server and its services as a group that shuts down gracefully on SIGINT, SIGTERM or
  /// `triggerGracefulShutdown()`.
  public func makeServiceGroup(
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws -> ServiceGroup {
    let application = try makeApplication(onListening: onListening)
    var all: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: application)]
    for service in services {
      all.append(.init(service: service, successTerminationBehavior: .ignore))
    }
    // Last in the list, so the first to hear the shutdown: websockets close with 1001 before
    // the HTTP server stops.
    all.append(
      .init(service: ShutdownService(hub: hub, active: active, grace: configuration.closeGrace)))
    return ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: all, gracefulShutdownSignals: [.sigterm, .sigint], logger: configuration.logger))
  }

  /// The Hummingbird application: routes, websocket upgrade, TLS when configured.
  public func makeApplication(
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws -> some ApplicationProtocol {
    let router = Router(context: HubRequestContext.self)
    router.add(middleware: ClientErrorCounter(metrics: hub.metrics))
    addRoutes(to: router)

    let frontEnd = WebsocketFrontEnd(hub: hub, configuration: configuration, active: active)
    let authenticator = self.authenticator
    let webSocket = WebSocketServerConfiguration(
      maxFrameSize: configuration.maxMessageSize,
      autoPing: .enabled(timePeriod: configuration.pingInterval),
      closeTimeout: .seconds(5),
      validateUTF8: true)
    let metrics = hub.metrics
    let drp = WebSocketRoute(path: "/api/v3/ws", requiredRights: .read) {
      connection, inbound, outbound in
      await frontEnd.serve(
        credential: connection.credential ?? .anonymous, remoteAddress: connection.remoteAddress,
        channel: connection.channel, inbound: inbound, outbound: outbound, logger: connection.logger
      )
    }
    var routes: [String: WebSocketRoute] = [drp.path: drp]
    for route in webSocketRoutes { routes[route.path] = route }
    var server = HTTPServerBuilder { [routes] responder in
      HubChildChannel(
        responder: responder, webSocket: webSocket, routes: routes,
        authorize: { request, rights in
          do {
            return try authenticator.credential(for: request, needing: rights)
          } catch let error as HTTPError {
            metrics.countClientError(Int(error.status.code))
            throw error
          }
        })
    }
    if let certificate = configuration.tlsCertificateFile, let key = configuration.tlsKeyFile {
      server = try .tls(
        server, tlsConfiguration: Self.tlsConfiguration(certificate: certificate, key: key))
    }
    return Application(
      router: router, server: server,
      configuration: ApplicationConfiguration(
        address: .hostname(configuration.host, port: configuration.port), serverName: nil),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
      logger: configuration.logger)
  }

  /// A TLS server configuration from PEM files; throws a readable error.
  static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
    let chain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey
    do {
      chain = try NIOSSLCertificate.fromPEMFile(certificate)
    } catch {
      throw HubServerError("cannot read the TLS certificate \(certificate): \(error)")
    }
    do {
      privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
    } catch {
      throw HubServerError("cannot read the TLS key \(key): \(error)")
    }
    guard !chain.isEmpty else { throw HubServerError("no certificate in \(certificate)") }
    return TLSConfiguration.makeServerConfiguration(
      certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
  }

  private func addRoutes(to router: Router<HubRequestContext>) {
    let hub = self.hub
    let authenticator = self.authenticator
    let maxBodySize = configuration.maxBodySize

    router.get("/api/v3/info") { request, _ -> Response in
      _ = try authenticator.credential(for: request, needing: [])
      return .json(ServerInfo().json)
    }

    // Reached only when the websocket upgrade did not happen: say why.
    router.get("/api/v3/ws") { request, _ -> Response in
      _ = try authenticator.credential(for: request, needing: .read)
      throw HTTPError(.badRequest, message: "expected a websocket upgrade request")
    }

    router.post("/api/v3/events") { request, _ -> Response in
      _ = try authenticator.credential(for: request, needing: .publish)
      var request = request
      let body = try await request.collectBody(upTo: maxBodySize)
      let published: Int
      do throws(EventBatch.BadLine) {
        published = try hub.publish(body: body)
      } catch {
        hub.metrics.eventsRejected.increment()
        let object = JSONValue.object(
          JSONObject([
            ("error", .string("line \(error.line): \(error.message)")),
            ("line", .number(JSONNumber(error.line))),
            ("column", error.column.map { .number(JSONNumber($0)) } ?? .null),
            ("message", .string(error.message)),
          ]))
        return .json(object.minified, status: .badRequest)
      }
      return .json(#"{"published":\#(published)}"#, status: .created)
    }

    router.get("/api/v3/connections") { request, _ -> Response in
      let credential = try authenticator.credential(for: request, needing: .read)
      var connections = hub.connections
      if credential.isRestricted {
        connections = connections.filter { $0.principal == credential.principal }
      }
      return .json(ConnectionSummary.json(connections))
    }

    router.get("/metrics") { _, _ -> Response in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: hub.metricsExposition())))
    }
  }
}

/// A startup error of the server, one line.
public struct HubServerError: Error, CustomStringConvertible {
  /// The error, for standard error.
  public let description: String
  init(_ description: String) { self.description = description }
}

extension Response {
  static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }
}

extension ConnectionSummary {
  /// `[{"RemoteAddr":...,"Principal":...,"CreateTime":...,"Websocket":true,"Registrations":[...]}]`.
  static func json(_ connections: [ConnectionSummary]) -> String {
    JSONValue.array(
      connections.map { connection in
        .object(
          JSONObject([
            ("RemoteAddr", .string(connection.remoteAddress)),
            ("Principal", .string(connection.principal)),
            ("CreateTime", .string(connection.createTime.rfc3339)),
            ("Websocket", .bool(connection.frontEnd != "tcp")),
            ("Registrations", .array(connection.registrations.map { .string($0) })),
          ]))
      }
    ).minified
  }
}

/// Counts 4xx answers in `/metrics`.
struct ClientErrorCounter<Context: RequestContext>: RouterMiddleware {
  let metrics: HubMetrics

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      let response = try await next(request, context)
      if (400..<500).contains(response.status.code) {
        metrics.countClientError(response.status.code)
      }
      return response
    } catch let error as HTTPResponseError {
      if (400..<500).contains(error.status.code) { metrics.countClientError(error.status.code) }
      throw error
    }
  }
}

/// Closes every websocket with 1001 when shutdown starts, and waits (up to `grace`) for their
/// handlers to finish, before the HTTP server is stopped.
struct ShutdownService: Service {
  let hub: EventHub
  let active: ActiveConnections
  let grace: Duration

  func run() async throws {
    try? await gracefulShutdown()
    hub.disconnectAll(reason: .goingAway)
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: grace)
    while active.current > 0, clock.now < deadline {
      try? await Task.sleep(for: .milliseconds(10))
    }
  }
}
