import Prometheus

/// The bus's counters in the hub's Prometheus registry, so that `GET /metrics` shows them next to
/// the hub's own (names start with `winnow_nats_`).
final class BusPrometheus: Sendable {
  let connected: Gauge
  let reconnects: Counter
  let subscriptions: Gauge
  let published: Counter
  let received: Counter
  let duplicatesDropped: Counter
  let lostInGaps: Counter
  let publishFailures: Counter

  init(registry: PrometheusCollectorRegistry) {
    func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
      registry.makeCounter(
        descriptor: MetricNameDescriptor(
          namespace: "winnow", subsystem: "nats", metricName: name, unitName: "total",
          helpText: help),
        labels: labels)
    }
    func gauge(_ name: String, _ help: String) -> Gauge {
      registry.makeGauge(
        descriptor: MetricNameDescriptor(
          namespace: "winnow", subsystem: "nats", metricName: name, unitName: "", helpText: help))
    }
    connected = gauge("connected", "Whether the hub is connected to a NATS server (1) or not (0).")
    reconnects = counter("reconnects", "Connections to NATS made again after one was lost.")
    subscriptions = gauge("subscriptions", "NATS subjects the hub subscribes to for its clients.")
    published = counter("events_published", "Events handed to NATS.")
    received = counter("events_received", "Messages received from NATS, copies included.")
    duplicatesDropped = counter(
      "duplicates_dropped", "Copies of an event dropped (overlapping subscriptions of this hub).")
    let lost =
      "Events lost on the NATS bus (NATS core is at most once): gaps in the numbers received, and events that could not be published."
    lostInGaps = counter("events_lost", lost, [("reason", "gap")])
    publishFailures = counter("events_lost", lost, [("reason", "publish")])
  }
}
