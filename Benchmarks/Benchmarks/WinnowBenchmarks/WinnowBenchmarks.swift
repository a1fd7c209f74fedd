import Benchmark

// Winnow's benchmarks. Each suite registers itself from its own file; add new suites
// (evaluation, NDJSON end to end, specifier dispatch) the same way.
//
// Names use `Suite_variant`: no spaces and no `/` (package-benchmark 1.38.1 writes broken
// threshold files for those).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.throughput, .wallClock, .mallocCountTotal, Corpus.megabytesPerSecond],
    scalingFactor: .kilo,
    maxDuration: .seconds(2),
    maxIterations: 10_000,
    thresholds: [
      // CI gates on malloc counts only: wall clock is far too noisy on shared machines.
      // Suites override this with their own scale (see README.md, "Thresholds").
      .mallocCountTotal: Corpus.mallocTolerance(eventsPerIteration: 1_000)
    ]
  )
  registerJSONParseBenchmarks()
  registerFieldLookupBenchmarks()
}
