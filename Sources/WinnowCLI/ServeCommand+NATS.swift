// Built with the `Hub` package trait (see Package.swift).
#if Hub
  import ArgumentParser
  import Logging
  import NATSClient
  import WinnowHub
  import WinnowNATS

  /// `winnow serve --nats URL[,URL...]`: several hubs sharing one event bus on a NATS cluster
  /// (README "Running several hubs").
  extension ServeCommand {
    func validateNATS() throws {
      guard let nats else { return }
      if NATSClientConfiguration(urls: nats) == nil {
        throw ValidationError("--nats takes comma-separated nats://HOST:PORT URLs, not '\(nats)'.")
      }
      if BusSubjects(prefix: natsSubjectPrefix) == nil {
        throw ValidationError(
          "--nats-subject-prefix must be dot-separated tokens without spaces or wildcards, not '\(natsSubjectPrefix)'."
        )
      }
    }

    /// The bus on NATS, not yet connected; nil without `--nats`.
    func makeNATSBus() -> NATSEventBus? {
      guard let nats, var client = NATSClientConfiguration(urls: nats),
        let subjects = BusSubjects(prefix: natsSubjectPrefix)
      else { return nil }
      client.name = "winnow serve \(listen)"
      return NATSEventBus(client: NATSClient(configuration: client), subjects: subjects)
    }

    /// Connects the bus before the hub serves anyone; exits with status 2 when no NATS server of
    /// the list answers.
    func connectNATS(_ bus: NATSEventBus, metrics: HubMetrics, logger: Logger) throws {
      bus.exportMetrics(to: metrics.registry)
      if let failure = Self.runBlocking({ try await bus.connect() }) {
        Console.error("winnow serve: --nats: \(failure)\n")
        throw ExitStatus.failure
      }
      logger.notice(
        "connected to NATS", metadata: ["subjects": "\(bus.subjects.prefix).<type>.<action>"])
    }
  }
#endif
