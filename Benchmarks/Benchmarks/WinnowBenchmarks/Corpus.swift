import Benchmark
import EventFixtures

/// The benchmark inputs: DRP events from the deterministic generator (seed 1, the stream
/// `shared/peers/gen_events.py -n 200000 --seed 1` starts with), grouped by size.
///
/// Nothing is read from disk: the events are generated when the benchmark process starts.
enum Corpus {
  /// How many events of the stream are generated to pick the size classes from.
  static let streamLength = 20_000

  /// The first `streamLength` events of the seed-1 stream.
  static let stream: [[UInt8]] = EventGenerator.events(count: streamLength, seed: 1)

  /// A size class: the first `limit` events of the stream whose sizes lie in `bytes`.
  ///
  /// With 1,000 events per iteration, `limit` divides 1,000 so that every iteration parses
  /// the same events (steady malloc counts); with 1 per iteration, iterations take turns.
  struct SizeClass: Sendable {
    let name: String
    let bytes: Range<Int>
    let limit: Int
    /// Events parsed per measured iteration: 1,000 for the small classes, 1 for large events
    /// (1,000 large events take up to a second with the slow parsers: too few samples).
    var eventsPerIteration = 1_000

    var scalingFactor: BenchmarkScalingFactor {
      BenchmarkScalingFactor(rawValue: eventsPerIteration)!
    }
  }

  /// Around 500 B (mostly stages, workflows and params without Original).
  static let small = SizeClass(name: "small", bytes: 400..<600, limit: 250)
  /// Within 10 % of the stream's median event, 1,383 B (work orders, workflows, params...).
  static let typical = SizeClass(name: "typical", bytes: 1_245..<1_521, limit: 250)
  /// Around 16 KB, the stream's p99 (big profiles and tasks, with Original).
  static let large = SizeClass(
    name: "large", bytes: 14_000..<18_000, limit: 64, eventsPerIteration: 1)
  /// The real mix: the first 1,000 events of the stream, every size.
  static let mixed = SizeClass(name: "mixed", bytes: 0..<Int.max, limit: 1_000)

  static let sizeClasses = [small, typical, large, mixed]

  /// The events of a size class.
  static func events(_ sizeClass: SizeClass) -> [[UInt8]] {
    let events = Array(
      stream.lazy.filter { sizeClass.bytes.contains($0.count) }.prefix(sizeClass.limit))
    precondition(!events.isEmpty, "no event in the size class \(sizeClass.name)")
    return events
  }

  /// Inputs prepared in a benchmark's setup, with their sizes in bytes (0: not a byte stream),
  /// and where the next iteration starts.
  final class Workload<Input> {
    let inputs: [Input]
    let bytes: [Int]
    var next = 0

    init(_ inputs: [Input], bytes: [Int]) {
      precondition(inputs.count == bytes.count && !inputs.isEmpty)
      self.inputs = inputs
      self.bytes = bytes
    }
  }

  /// The events of a size class, prepared by `prepare` (outside the measurement).
  static func workload<Input>(_ sizeClass: SizeClass, _ prepare: ([UInt8]) -> Input) -> Workload<
    Input
  > {
    let events = events(sizeClass)
    return Workload(events.map(prepare), bytes: events.map(\.count))
  }

  /// The malloc-count tolerance for `scale` events per iteration: 2.5 allocations per event.
  ///
  /// `JSONDocument(parsing:)` makes 5 to 13 allocations per event, steady within a process,
  /// but a process can sit 2 per event above or below another (most likely the parser's two
  /// depth stacks: Swift arrays size their growth from `malloc_usable_size`, which depends on
  /// heap layout). The gate therefore catches 3 or more new allocations per event, not 1.
  static func mallocTolerance(eventsPerIteration scale: Int) -> BenchmarkThresholds {
    BenchmarkThresholds(absolute: [.p90: scale * 5 / 2])
  }

  /// A malloc-count tolerance of `perScaledIteration` allocations per scaled iteration
  /// (absolute, so that it also fires on a committed count of zero), for `scale` scaled
  /// iterations per measured iteration.
  static func mallocTolerance(perScaledIteration: Double, scale: Int = 1_000) -> BenchmarkThresholds
  {
    BenchmarkThresholds(absolute: [
      .p90: max(1, Int((perScaledIteration * Double(scale)).rounded()))
    ])
  }

  /// The malloc-count tolerance of suites that should not allocate at all (a relative
  /// tolerance never fires on a zero threshold): 0.1 allocation per scaled iteration.
  static var noMallocTolerance: BenchmarkThresholds { BenchmarkThresholds(absolute: [.p90: 100]) }

  /// Decimal megabytes parsed per second of wall clock, measured per iteration by
  /// ``measureThroughput(_:_:_:)``.
  static let megabytesPerSecond = BenchmarkMetric.custom(
    "MBps (decimal MB/s)", polarity: .prefersLarger, useScalingFactor: false)

  /// Runs `body` once per scaled iteration over `inputs` (cycling), and records the bytes per
  /// second of the whole iteration as ``megabytesPerSecond`` (unless the workload's sizes are
  /// all zero).
  ///
  /// `.throughput` then reads as events per second (one scaled iteration is one event), and
  /// `mallocCountTotal` as allocations per event.
  @inline(__always)
  static func measureThroughput<Input>(
    _ benchmark: Benchmark, _ workload: Workload<Input>, _ body: (Input) -> Void
  ) {
    let inputs = workload.inputs
    let bytes = workload.bytes
    let count = inputs.count
    var index = workload.next
    var total = 0
    let start = ContinuousClock.now
    for _ in benchmark.scaledIterations {
      body(inputs[index])
      total &+= bytes[index]
      index += 1
      if index == count { index = 0 }
    }
    let elapsed = ContinuousClock.now - start
    benchmark.stopMeasurement()  // keep the bookkeeping below out of the malloc counts
    workload.next = index
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    if seconds > 0, total > 0 {
      benchmark.measurement(megabytesPerSecond, Int((Double(total) / seconds / 1e6).rounded()))
    }
  }
}
