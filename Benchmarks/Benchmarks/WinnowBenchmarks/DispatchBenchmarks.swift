import Benchmark
import Winnow

/// Subscription dispatch and churn, on `SubscriptionRegistry<Int>` (an `Int` per websocket
/// client).
///
/// - `Dispatch_1k`, `Dispatch_10k`, `Dispatch_100k`: one event's subscribers, through
///   `appendSubscribers(matching:to:)` into a reused array, with 1,000 / 10,000 / 100,000
///   registrations. One measured iteration is one event (the `mixed` corpus, parsed before,
///   taken in turn), so the wall-clock `p50` is the per-event median.
/// - `ParseDispatch_100k`: what a server does per event: `EventParser.parse` of the event's
///   bytes, then `appendSubscribers(matching:to:)` with the parsed event, at 100,000
///   registrations. The malloc gate (0) covers parsing as well as dispatch.
/// - `RegisterChurn_new`: `register` then `deregister` of a specifier text nobody holds (each
///   register parses the text and compiles its filter, if any), against 10,000 registrations.
/// - `RegisterChurn_shared`: the same with texts another client already holds (the registry
///   finds them by canonical text and skips the parser), the common case of many clients
///   watching the same machines.
///   For both, one scaled iteration is one register+deregister pair.
///
/// The registrations (see ``DispatchPopulation``) hold a fixed *hot* set that the events hit
/// (about 560 registrations: the stream's machines, broad dashboards, filters) and as many
/// *cold* registrations of the same forms for other machines as needed to reach the total.
/// Growth from 1k to 100k therefore measures the index, not a growing number of subscribers
/// to deliver to.
func registerDispatchBenchmarks() {
  // One event per measured iteration and a committed count of 0: no tolerance at all.
  let perEvent = Benchmark.Configuration(
    metrics: [.throughput, .wallClock, .mallocCountTotal],
    scalingFactor: .one,
    maxDuration: .seconds(2),
    maxIterations: 100_000,
    thresholds: [.mallocCountTotal: BenchmarkThresholds(absolute: [.p90: 0])])
  for (name, total) in [("1k", 1_000), ("10k", 10_000), ("100k", 100_000)] {
    Benchmark("Dispatch_\(name)", configuration: perEvent) {
      (benchmark: Benchmark, setup: DispatchSetup) in
      setup.dispatchNext(benchmark)
    } setup: {
      DispatchSetup(registrations: total)
    }
  }

  Benchmark("ParseDispatch_100k", configuration: perEvent) {
    (benchmark: Benchmark, setup: DispatchSetup) in
    setup.parseAndDispatchNext(benchmark)
  } setup: {
    DispatchSetup(registrations: 100_000)
  }

  for shared in [false, true] {
    Benchmark(
      shared ? "RegisterChurn_shared" : "RegisterChurn_new",
      configuration: .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        // `new` allocates (parsing, the new specifier's buckets); `shared` should not.
        thresholds: [
          .mallocCountTotal: shared
            ? Corpus.noMallocTolerance : Corpus.mallocTolerance(perScaledIteration: 1)
        ])
    ) { (benchmark: Benchmark, setup: ChurnSetup) in
      setup.churn(benchmark)
    } setup: {
      ChurnSetup(shared: shared)
    }
  }
}

/// Specifier texts of a realistic registration mix.
enum DispatchPopulation {
  /// Machine UUIDs of the seed-1 stream (the generator's 3,000 machines, as met in the first
  /// 20,000 events), in order of first appearance.
  static let streamMachines: [String] = {
    var seen = Set<String>()
    var result: [String] = []
    for bytes in Corpus.stream {
      guard let event = try? Event(parsing: bytes), event.type == "machines" else { continue }
      if seen.insert(event.key).inserted { result.append(event.key) }
    }
    return result
  }()

  /// A UUID for a machine that no event mentions.
  static func coldMachine(_ i: Int) -> String {
    let hex = String(i, radix: 16)
    return "c01d0000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex
  }

  /// The filters of filtered registrations.
  static let filters = [
    #"Object.Runnable=Eq(true)"#,
    #"Stage=Changed(,"complete")"#,
    #"Object.Stage=Eq("discover")"#,
    #"Object.State=Eq("failed")"#,
  ]

  /// The hot set, (text, subscriber), about 560 registrations.
  ///
  /// - 300 `machines.*.<uuid>` and 150 `machine_jobs.*.<uuid>` for the stream's machines,
  /// - 60 filtered: `machines.*.<uuid>.Object.Runnable=Eq(true)` and
  ///   `machines.*.<uuid>.Stage=Changed(,"complete")` (30 each),
  /// - 10 times each: `machines.*.*`, `jobs.create,update.*`,
  ///   `machines.*.*.Stage=Changed(,"complete")` and `machines.*.*.Object.Runnable=Eq(true)`
  ///   (dashboards; the same text from several clients).
  /// Clients hold 5 registrations each.
  static var hot: [String] {
    let machines = streamMachines
    precondition(machines.count >= 300)
    var texts: [String] = []
    for i in 0..<300 { texts.append("machines.*.\(machines[(i * 7) % machines.count])") }
    for i in 0..<150 { texts.append("machine_jobs.*.\(machines[(i * 13 + 1) % machines.count])") }
    for i in 0..<30 {
      texts.append("machines.*.\(machines[(i * 11 + 2) % machines.count]).\(filters[0])")
    }
    for i in 0..<30 {
      texts.append("machines.*.\(machines[(i * 17 + 3) % machines.count]).\(filters[1])")
    }
    for _ in 0..<10 {
      texts += [
        "machines.*.*", "jobs.create,update.*", "machines.*.*.\(filters[1])",
        "machines.*.*.\(filters[0])",
      ]
    }
    return texts
  }

  /// The `i`th cold registration: the same forms for machines in no event, on a fleet of
  /// `fleet` machines: 45 % `machines.*.<uuid>`, 25 % `machine_jobs.*.<uuid>`, 15 % filtered
  /// `machines.*.<uuid>.<filter>`, 15 % `work_orders.*.<uuid>` and `jobs.*.<uuid>`.
  static func cold(_ i: Int, fleet: Int) -> String {
    let machine = coldMachine((i &* 2_654_435_761) % fleet)
    switch i % 20 {
    case 0..<9: return "machines.*.\(machine)"
    case 9..<14: return "machine_jobs.*.\(machine)"
    case 14..<17: return "machines.*.\(machine).\(filters[i % filters.count])"
    case 17: return "work_orders.*.\(machine)"
    default: return "jobs.*.\(machine)"
    }
  }

  /// `total` registrations: the hot set and cold ones, with their subscribers (hot clients
  /// hold 5 registrations, cold ones 10).
  static func registrations(total: Int) -> [(text: String, subscriber: Int)] {
    let hot = hot
    precondition(total >= hot.count)
    var result = hot.enumerated().map { (text: $0.element, subscriber: $0.offset / 5) }
    let firstCold = hot.count / 5 + 1
    let coldCount = total - hot.count
    let fleet = max(1, coldCount / 4)
    for i in 0..<coldCount {
      result.append((text: cold(i, fleet: fleet), subscriber: firstCold + i / 10))
    }
    return result
  }

  /// A registry holding `registrations(total:)`.
  static func registry(total: Int) -> SubscriptionRegistry<Int> {
    let registry = SubscriptionRegistry<Int>()
    for (text, subscriber) in registrations(total: total) {
      try! registry.register(text, for: subscriber)
    }
    return registry
  }
}

final class DispatchSetup {
  let registry: SubscriptionRegistry<Int>
  let events: [Event]
  /// The same events as bytes, for `parseAndDispatchNext`.
  let texts: [[UInt8]]
  let parser = EventParser()
  var result: [Int] = []
  var next = 0

  init(registrations total: Int) {
    registry = DispatchPopulation.registry(total: total)
    texts = Corpus.events(Corpus.mixed)
    events = texts.map { try! Event(parsing: $0) }
    // Outside the measurement: one pass to size the result array and the registry's scratch
    // memory, and a check that the events reach some subscribers.
    var delivered = 0
    for event in events {
      result.removeAll(keepingCapacity: true)
      registry.appendSubscribers(matching: event, to: &result)
      delivered += result.count
    }
    precondition(delivered > 0)
    result.reserveCapacity(4 * result.capacity + 1_024)
    // The parser's buffers grow to the largest event here, outside the measurement.
    for text in texts {
      text.withUnsafeBufferPointer { _ = try! parser.parse($0) }
    }
  }

  /// Parses the next event's bytes and dispatches the parsed event.
  @inline(__always)
  func parseAndDispatchNext(_ benchmark: Benchmark) {
    let count = texts.count
    for _ in benchmark.scaledIterations {
      result.removeAll(keepingCapacity: true)
      texts[next].withUnsafeBufferPointer { bytes in
        let event = try! parser.parse(bytes)
        registry.appendSubscribers(matching: event, to: &result)
      }
      next += 1
      if next == count { next = 0 }
    }
    blackHole(result.count)
  }

  @inline(__always)
  func dispatchNext(_ benchmark: Benchmark) {
    let count = events.count
    events.withUnsafeBufferPointer { events in
      for _ in benchmark.scaledIterations {
        result.removeAll(keepingCapacity: true)
        registry.appendSubscribers(matching: events[next], to: &result)
        next += 1
        if next == count { next = 0 }
      }
    }
    blackHole(result.count)
  }
}

final class ChurnSetup {
  let registry: SubscriptionRegistry<Int>
  /// (text, subscriber) pairs, taken in turn.
  let pairs: [(String, Int)]
  var next = 0

  /// 10,000 registrations, and 1,000 churn pairs: texts nobody holds (`shared == false`) or
  /// texts of the population, each for a new client.
  init(shared: Bool) {
    let population = DispatchPopulation.registrations(total: 10_000)
    registry = DispatchPopulation.registry(total: 10_000)
    let newClient = 1_000_000
    if shared {
      pairs = (0..<1_000).map { i in (population[(i * 37) % population.count].text, newClient + i) }
    } else {
      pairs = (0..<1_000).map { i in
        let machine = DispatchPopulation.coldMachine(900_000 + i)
        let text =
          i % 5 == 4
          ? "machines.*.\(machine).\(DispatchPopulation.filters[i % DispatchPopulation.filters.count])"
          : (i % 2 == 0 ? "machines.*.\(machine)" : "machine_jobs.*.\(machine)")
        return (text, newClient + i)
      }
    }
    let before = registry.specifierCount
    for (text, subscriber) in pairs {
      try! registry.register(text, for: subscriber)
      try! registry.deregister(text, for: subscriber)
    }
    precondition(registry.specifierCount == before)
  }

  @inline(__always)
  func churn(_ benchmark: Benchmark) {
    let count = pairs.count
    for _ in benchmark.scaledIterations {
      let (text, subscriber) = pairs[next]
      try! registry.register(text, for: subscriber)
      try! registry.deregister(text, for: subscriber)
      next += 1
      if next == count { next = 0 }
    }
  }
}
