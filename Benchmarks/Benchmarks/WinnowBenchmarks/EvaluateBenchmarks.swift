import Benchmark
import Winnow

/// `Evaluate_W1`…`Evaluate_W6`: `CompiledFilter.matches(_: Event)` on events parsed before the
/// measurement (the `mixed` corpus: the first 1,000 events of the seed-1 stream, every size).
///
/// One scaled iteration is one evaluation, so `.throughput` reads as evaluations per second and
/// `mallocCountTotal` as allocations per evaluation (the target is 0).
///
/// The loop walks the events through an unsafe buffer by index, so no `Event` is copied
/// (retained and released) in the measurement.
func registerEvaluateBenchmarks() {
  for workload in Workloads.all {
    Benchmark(
      "Evaluate_\(workload.name)",
      configuration: .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        thresholds: [.mallocCountTotal: Corpus.noMallocTolerance])
    ) { (benchmark: Benchmark, setup: EvaluateSetup) in
      let filter = setup.filter
      var matched = 0
      setup.events.withUnsafeBufferPointer { events in
        precondition(events.count == benchmark.scaledIterations.count)
        for index in benchmark.scaledIterations where filter.matches(events[index]) {
          matched &+= 1
        }
      }
      blackHole(matched)
    } setup: {
      let events = Corpus.events(Corpus.mixed).map { try! Event(parsing: $0) }
      let filter = Workloads.compiled(workload)
      // Not part of the measurement: the filter must select some events and not all (W5
      // selects most of them by design).
      let matches = events.filter { filter.matches($0) }.count
      precondition(matches > 0 && matches < events.count, "\(workload.name): \(matches) matches")
      return EvaluateSetup(filter: filter, events: events)
    }
  }
}

struct EvaluateSetup {
  let filter: CompiledFilter
  let events: [Event]
}
