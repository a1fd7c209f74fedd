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
      // CI gates on malloc counts only (wall clock is far too noisy here). They are exact
      // (one more allocation per event is +8 % for a typical event); 2 % absorbs a stray
      // allocation per measured iteration. See README.md, "Thresholds".
      .mallocCountTotal: .init(relative: [.p90: 2.0])
    ]
  )
  registerJSONParseBenchmarks()
  registerFieldLookupBenchmarks()
}
