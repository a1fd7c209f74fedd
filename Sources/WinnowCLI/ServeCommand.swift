// Built with the `Hub` package trait (see Package.swift).
#if Hub
  import ArgumentParser
  import Dispatch
  import Logging
  import ServiceLifecycle
  import Winnow
  import WinnowHub
  import WinnowHubOpenIAP
  import WinnowNATS

  #if canImport(Glibc)
    import Glibc
  #elseif canImport(Darwin)
    import Darwin
  #endif

  /// `winnow serve`: the DRP websocket event hub (SPEC section 9).
  struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "serve",
      abstract: "Serve DRP's websocket event API: clients subscribe with specifiers and filters.",
      discussion: """
        Clients open ws://HOST:PORT/api/v3/ws (wss:// with --tls-cert and --tls-key), send \
        'register SPECIFIER' and 'deregister SPECIFIER' text frames, get one acknowledgement \
        event per command, and receive every published event their specifiers match, once each, \
        in publish order, byte for byte. Events are published with POST /api/v3/events (one \
        JSON event or NDJSON; needs the publish right), with --events, and by the hub itself \
        (connections.create/destroy.PRINCIPAL). Also: GET /api/v3/info, GET /api/v3/connections, \
        GET /metrics (Prometheus).

        Credentials: --tokens FILE holds one 'TOKEN PRINCIPAL RIGHTS [SPECIFIER...]' per line \
        (RIGHTS read, publish or read,publish; specifiers restrict what the principal sees; '#' \
        starts a comment line). --token TOKEN is short for 'TOKEN user:token read,publish'. \
        Without either the hub refuses to start unless --no-auth is given. Clients present the \
        token as ?token=, as 'Authorization: Bearer TOKEN', or as Basic credentials U:P (the \
        token 'U:P'). A missing or unknown token gets 401, a request beyond its rights 403.

        A client whose queue holds --max-queue items is closed with 1008 'slow consumer'; the \
        others go on. Pings go out every 30 seconds; a client that does not answer is closed. \
        SIGINT and SIGTERM close every websocket with 1001 and exit 0.

        Examples:
          winnow serve --token s3cret
          winnow serve --tokens tokens.txt --listen 0.0.0.0:8092 --tls-cert cert.pem --tls-key key.pem
          tail -f events.ndjson | winnow serve --no-auth --events -
        """
    )

    @Option(
      help: ArgumentHelp(
        "The address to listen on (port 0: any free port).", valueName: "host:port"))
    var listen = "127.0.0.1:8092"

    @Option(help: ArgumentHelp("The TLS certificate chain (PEM).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The TLS private key (PEM).", valueName: "file"))
    var tlsKey: String?

    @Option(help: ArgumentHelp("The credentials file.", valueName: "file"))
    var tokens: String?

    @Option(
      name: .customLong("token"),
      help: ArgumentHelp(
        "Accept this token as user:token with read,publish (repeatable).", valueName: "token"))
    var shortTokens: [String] = []

    @Flag(help: "Accept every client as 'anonymous' with read,publish.")
    var noAuth = false

    @Option(
      help: ArgumentHelp(
        "The most events queued for one client before it is closed as a slow consumer.",
        valueName: "n"))
    var maxQueue = 10_000

    @Option(
      help: ArgumentHelp(
        "Publish the NDJSON events of this file ('-' is standard input).", valueName: "file"))
    var events: String?

    @Flag(help: "With --events FILE: keep reading as the file grows.")
    var follow = false

    @Option(
      help: ArgumentHelp("The largest POST /api/v3/events body, in bytes.", valueName: "bytes"))
    var maxBody = 64 << 20

    @Option(
      help: ArgumentHelp(
        "Republish the events of this DRP endpoint (DRP or another hub).", valueName: "url"))
    var upstream: String?

    @Option(help: ArgumentHelp("The token for --upstream.", valueName: "token"))
    var upstreamToken: String?

    @Flag(help: "With --upstream: accept its TLS certificate without verifying it.")
    var upstreamInsecure = false

    @Option(
      help: ArgumentHelp(
        "Share events with the other hubs of this NATS cluster (comma-separated nats:// URLs).",
        valueName: "url,..."))
    var nats: String?

    @Option(
      help: ArgumentHelp(
        "With --nats: events go on the subjects PREFIX.<type>.<action>.", valueName: "prefix"))
    var natsSubjectPrefix = "drp.events"

    @Option(
      name: .customLong("openiap-listen"),
      help: ArgumentHelp(
        "Also serve OpenIAP's length-prefixed Envelope stream over TCP here.",
        valueName: "host:port")
    )
    var openIAPListen: String?

    @Option(
      name: .customLong("grpc-listen"),
      help: ArgumentHelp(
        "Also serve OpenIAP's gRPC FlowService/SetupStream here (no TLS).", valueName: "host:port"))
    var grpcListen: String?

    @Option(help: .hidden)
    var pingInterval: Double = 30

    @Option(help: .hidden)
    var closeGrace: Double = 10

    @Option(
      help: ArgumentHelp(
        "Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "notice"

    func validate() throws {
      if tlsCert != nil && tlsKey == nil || tlsKey != nil && tlsCert == nil {
        throw ValidationError("--tls-cert and --tls-key go together.")
      }
      if HubServerConfiguration.parseListen(listen) == nil {
        throw ValidationError("--listen takes HOST:PORT, not '\(listen)'.")
      }
      for (option, value) in [("--openiap-listen", openIAPListen), ("--grpc-listen", grpcListen)] {
        if let value, HubServerConfiguration.parseListen(value) == nil {
          throw ValidationError("\(option) takes HOST:PORT, not '\(value)'.")
        }
      }
      if maxQueue < 1 { throw ValidationError("--max-queue must be at least 1.") }
      if maxBody < 1 { throw ValidationError("--max-body must be at least 1.") }
      if !(pingInterval > 0) || !(closeGrace > 0) {
        throw ValidationError("--ping-interval and --close-grace must be positive.")
      }
      if follow && events == nil { throw ValidationError("--follow needs --events FILE.") }
      if upstream == nil && (upstreamToken != nil || upstreamInsecure) {
        throw ValidationError("--upstream-token and --upstream-insecure need --upstream URL.")
      }
      try validateNATS()
      if Logger.Level(rawValue: logLevel) == nil {
        throw ValidationError("unknown --log-level '\(logLevel)'.")
      }
    }

    func run() throws {
      let credentials = try loadCredentials()
      let (host, port) = HubServerConfiguration.parseListen(listen)!
      var logger = Logger(label: "winnow.serve") { label in
        StreamLogHandler.standardError(label: label)
      }
      logger.logLevel = Logger.Level(rawValue: logLevel)!
      var configuration = HubServerConfiguration(
        host: host, port: port, credentials: credentials, hub: HubConfiguration(maxQueue: maxQueue),
        pingInterval: .milliseconds(Int64(pingInterval * 1000)), maxBodySize: maxBody,
        closeGrace: .milliseconds(Int64(closeGrace * 1000)), logger: logger)
      configuration.tlsCertificateFile = tlsCert
      configuration.tlsKeyFile = tlsKey
      let bus = makeNATSBus()
      let hub = EventHub(configuration: configuration.hub, bus: bus ?? LocalEventBus())
      if let bus { try connectNATS(bus, metrics: hub.metrics, logger: logger) }
      var services: [any Service] = []
      if let events {
        if events != "-" { close(try openOrFail(events)) }
        services.append(EventFileSource(path: events, follow: follow, hub: hub, logger: logger))
      }
      if let upstream {
        do {
          let source = try UpstreamSource(
            url: upstream, token: upstreamToken, insecure: upstreamInsecure)
          services.append(UpstreamService(source: source, hub: hub, logger: logger))
        } catch {
          Console.error("winnow serve: \(error)\n")
          throw ExitStatus.failure
        }
      }
      // OpenIAP and OpenFlow (SPEC sections 10 and 11): websocket paths on this listener, and
      // their own TCP and gRPC listeners when asked for.
      let frontEnds = FrontEndContext(hub: hub, credentials: credentials)
      if let openIAPListen, let (host, port) = HubServerConfiguration.parseListen(openIAPListen) {
        services.append(
          frontEnds.tcpService(host: host, port: port) { port in
            Console.error(
              "winnow serve: OpenIAP TCP listening on \(Self.hostForURL(host)):\(port)\n")
          })
      }
      if let grpcListen, let (host, port) = HubServerConfiguration.parseListen(grpcListen) {
        services.append(
          frontEnds.grpcService(host: host, port: port) { port in
            Console.error(
              "winnow serve: OpenIAP gRPC listening on grpc://\(Self.hostForURL(host)):\(port)\n")
          })
      }
      let server = HubServer(
        configuration: configuration, hub: hub, services: services,
        webSocketRoutes: frontEnds.webSocketRoutes)
      let scheme = tlsCert == nil ? "http" : "https"
      let failure = Self.runBlocking {
        try await server.run { port in
          Console.error("winnow serve: listening on \(scheme)://\(Self.hostForURL(host)):\(port)\n")
        }
      }
      if let bus { _ = Self.runBlocking { await bus.stop() } }
      if let failure {
        Console.error("winnow serve: \(failure)\n")
        throw ExitStatus.failure
      }
    }

    /// The credentials given, or an exit with status 2 and a message.
    private func loadCredentials() throws -> CredentialStore {
      if noAuth {
        if tokens != nil || !shortTokens.isEmpty {
          Console.error("winnow serve: --no-auth cannot be combined with --tokens or --token\n")
          throw ExitStatus.failure
        }
        return .noAuth
      }
      guard tokens != nil || !shortTokens.isEmpty else {
        Console.error(
          "winnow serve: refusing to start without credentials: give --tokens FILE, --token TOKEN, or --no-auth\n"
        )
        throw ExitStatus.failure
      }
      var credentials = shortTokens.map(CredentialStore.shortToken)
      if let tokens {
        let text: String
        let limit = 1 << 24
        do {
          let bytes = try InputFile(path: tokens).contents(upTo: limit)
          guard bytes.count <= limit else {
            Console.error("winnow serve: --tokens \(tokens) is larger than \(limit) bytes\n")
            throw ExitStatus.failure
          }
          text = String(decoding: bytes, as: UTF8.self)
        } catch let error as InputFile.Failure {
          Console.error("winnow serve: cannot read --tokens \(error.message)\n")
          throw ExitStatus.failure
        }
        do {
          credentials += try CredentialStore(parsingTokensFile: text).credentials
        } catch {
          Console.error("winnow serve: \(tokens):\(error)\n")
          throw ExitStatus.failure
        }
      }
      return CredentialStore(credentials)
    }

    private func openOrFail(_ path: String) throws -> Int32 {
      do {
        return try EventFileSource.open(path)
      } catch {
        Console.error("winnow serve: \(error)\n")
        throw ExitStatus.failure
      }
    }

    private static func hostForURL(_ host: String) -> String {
      host.contains(":") ? "[\(host)]" : host
    }

    /// Runs `body` on the concurrency runtime and waits for it; returns its error, if any.
    static func runBlocking(_ body: @escaping @Sendable () async throws -> Void) -> (any Error)? {
      let done = DispatchSemaphore(value: 0)
      let failure = FailureBox()
      Task {
        do {
          try await body()
        } catch {
          failure.error = error
        }
        done.signal()
      }
      done.wait()
      return failure.error
    }
  }

  /// The error of a task, handed to the waiting thread (written before the semaphore is
  /// signalled, read after it is waited for).
  private final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
  }
#endif
