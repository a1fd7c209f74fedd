import Prometheus

/// The hub's counters, exposed at `GET /metrics` in Prometheus' text format.
///
/// Names start with `winnow_hub_`. Counters are atomic: the hot path pays one atomic add each.
public final class HubMetrics: Sendable {
  /// The collector registry the counters live in.
  public let registry: PrometheusCollectorRegistry

  /// Open connections, every front-end.
  public let connections: Gauge
  /// Connections opened since start.
  public let connectionsOpened: Counter
  /// References held by all registrations (`register` adds one, `deregister` removes one).
  public let registrations: Gauge
  /// Events accepted for publishing (POST, `--events`, upstream, connection events).
  public let eventsPublished: Counter
  /// Event frames queued for delivery to a subscriber.
  public let eventsDelivered: Counter
  /// Events refused: a POST body line or a source line that is not an event.
  public let eventsRejected: Counter
  /// Connections closed with 1008 because their queue was full.
  public let slowConsumerDisconnects: Counter
  /// Command frames answered with an error acknowledgement.
  public let commandErrors: Counter
  /// Command frames answered with a register or deregister acknowledgement.
  public let commands: Counter
  /// Regex match-limit hits in the registered filters (read when scraped).
  let regexLimitHits: Gauge

  private let badFrameCounters: [BadFrame: Counter]
  private let clientErrorCounters: [Int: Counter]

  /// Why a websocket frame was refused.
  public enum BadFrame: String, Sendable, CaseIterable {
    /// A binary frame (closed with 1003).
    case binary
    /// A frame over the size limit (answered with an error acknowledgement).
    case tooLarge = "too_large"
  }

  /// The 4xx statuses counted by code.
  public static let countedClientErrors = [400, 401, 403, 404, 405, 413]

  /// Every counter at zero, in a registry of their own.
  public init() {
    let registry = PrometheusCollectorRegistry()
    self.registry = registry
    func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
      registry.makeCounter(
        descriptor: MetricNameDescriptor(
          namespace: "winnow", subsystem: "hub", metricName: name, unitName: "total", helpText: help
        ),
        labels: labels)
    }
    func gauge(_ name: String, _ help: String) -> Gauge {
      registry.makeGauge(
        descriptor: MetricNameDescriptor(
          namespace: "winnow", subsystem: "hub", metricName: name, unitName: "", helpText: help))
    }
    connections = gauge("connections", "Open connections.")
    connectionsOpened = counter("connections_opened", "Connections opened since start.")
    registrations = gauge("registrations", "References held by all registrations.")
    eventsPublished = counter("events_published", "Events accepted for publishing.")
    eventsDelivered = counter("events_delivered", "Event frames queued for delivery.")
    eventsRejected = counter("events_rejected", "Published lines that were not events.")
    slowConsumerDisconnects = counter(
      "slow_consumer_disconnects", "Connections closed with 1008 because their queue was full.")
    commands = counter("commands", "Command frames acknowledged with register or deregister.")
    commandErrors = counter("command_errors", "Command frames acknowledged with an error.")
    regexLimitHits = gauge("regex_limit_hits", "Regex match-limit hits in registered filters.")
    var badFrames: [BadFrame: Counter] = [:]
    for reason in BadFrame.allCases {
      badFrames[reason] = counter(
        "bad_frames", "Websocket frames refused.", [("reason", reason.rawValue)])
    }
    badFrameCounters = badFrames
    var clientErrors: [Int: Counter] = [:]
    for code in Self.countedClientErrors {
      clientErrors[code] = counter(
        "http_client_errors", "HTTP 4xx responses.", [("code", String(code))])
    }
    clientErrorCounters = clientErrors
  }

  /// Counts a refused frame.
  public func countBadFrame(_ reason: BadFrame) { badFrameCounters[reason]?.increment() }

  /// Counts a 4xx response (other 4xx codes are counted as 400).
  public func countClientError(_ status: Int) {
    (clientErrorCounters[status] ?? clientErrorCounters[400])?.increment()
  }

  /// The Prometheus text exposition; `regexLimitHits` is the registry's current total.
  public func exposition(regexLimitHits hits: Int) -> String {
    regexLimitHits.set(Int64(hits))
    return registry.emitToString()
  }
}
