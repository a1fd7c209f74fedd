import Benchmark
import Winnow

/// Turning filter text into something that evaluates, per filter.
///
/// The filters are the six workloads and a typical ~150-byte filter, without and with a regex:
/// - `FilterParse_<name>`: `Filter(parsing:)`, text to syntax tree (validation, diagnostics,
///   canonical form). One scaled iteration is one parse.
/// - `Compile_<name>`: `filter.compiled()`, tree to closures. One scaled iteration
///   is one compilation. A regex is translated and compiled by PCRE2 (with its JIT) when the
///   filter is *parsed*, so `FilterParse_W4` and `FilterParse_typical150re` include that, and
///   `Compile_W4` only refers to the compiled pattern.
///
/// Both allocate by nature (the tree, the closures); the gate catches a change in how much.
func registerFilterBenchmarks() {
  for workload in Workloads.parseSet {
    let bytes = workload.filter.utf8.count

    Benchmark(
      "FilterParse_\(workload.name)",
      configuration: .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, Corpus.megabytesPerSecond],
        thresholds: [.mallocCountTotal: Corpus.mallocTolerance(perScaledIteration: 0.5)])
    ) { (benchmark: Benchmark, inputs: Corpus.Workload<String>) in
      Corpus.measureThroughput(benchmark, inputs) { text in
        blackHole(try! Filter(parsing: text))
      }
    } setup: {
      Corpus.Workload([workload.filter], bytes: [bytes])
    }

    Benchmark(
      "Compile_\(workload.name)",
      configuration: .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        thresholds: [.mallocCountTotal: Corpus.mallocTolerance(perScaledIteration: 0.5)])
    ) { (benchmark: Benchmark, filter: Filter) in
      for _ in benchmark.scaledIterations {
        blackHole(filter.compiled())
      }
    } setup: {
      try! Filter(parsing: workload.filter)
    }
  }
}
