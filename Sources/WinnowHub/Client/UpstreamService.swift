import Logging
import NIOCore
import ServiceLifecycle

/// `winnow serve --upstream URL --upstream-token TOKEN`: an ``UpstreamSource`` run as one of the
/// hub's services.
///
/// Every upstream event is accepted into the hub (so the hub's clients get it through their own
/// registrations, with the whole filter language); connection trouble is logged and cured by
/// reconnecting; a refused token or registration stops the hub with an error (a misconfigured
/// upstream is not silently idle). Ends at graceful shutdown.
public struct UpstreamService: Service {
  /// The source subscribed upstream.
  public let source: UpstreamSource
  let hub: EventHub
  let logger: Logger

  /// The service republishing `source` into `hub`.
  public init(source: UpstreamSource, hub: EventHub, logger: Logger) {
    self.source = source
    self.hub = hub
    self.logger = logger
  }

  /// Republishes upstream events until graceful shutdown; throws when the upstream refuses.
  public func run() async throws {
    let hub = hub
    let logger = logger
    let url = source.client.options.endpoint.websocketURL
    do {
      try await cancelWhenGracefulShutdown {
        try await source.run(
          notice: { notice in
            switch notice {
            case .disconnected, .infoUnavailable, .skippedMessage:
              logger.warning("upstream: \(notice)")
            case .connected, .registered, .retrying:
              logger.info("upstream: \(notice)")
            }
          },
          publish: { event in hub.accept(ByteBuffer(bytes: event.bytes)) })
      }
    } catch let error as WatchError {
      throw HubServerError("upstream \(url): \(error)")
    } catch is CancellationError {
      return
    }
  }
}
