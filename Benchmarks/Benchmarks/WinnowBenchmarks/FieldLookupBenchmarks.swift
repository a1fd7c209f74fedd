import Benchmark
import Winnow

/// Looking a field up in an already-parsed event, through the public API: a `FieldPath` parsed
/// once, `path.value(in:)` on a `JSONValue` tree (the mixed corpus, so some lookups find nothing).
///
/// One scaled iteration is one lookup.
///
/// The compiled lookup on `JSONDocument` that filters will use is internal for now; add
/// `FieldLookupDocument_*` here when it is public.
func registerFieldLookupBenchmarks() {
  let paths = [
    ("depth1", "Type"),  // always present, among the first members
    ("depth2", "Object.Stage"),  // machines, jobs and stages only
    ("depth3", "Object.Params.bar"),  // rare: mostly a miss after walking Params
    ("pointer3", "/Object/Params/kernel-console"),  // the pointer form; the same walk
  ]
  for (name, field) in paths {
    Benchmark(
      "FieldLookup_\(name)",
      configuration: .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        thresholds: [.mallocCountTotal: Corpus.noMallocTolerance])
    ) { (benchmark: Benchmark, setup: LookupSetup) in
      Corpus.measureThroughput(benchmark, setup.trees) { tree in
        blackHole(setup.path.value(in: tree))
      }
    } setup: {
      let trees = Corpus.events(Corpus.mixed).map { try! JSONValue(parsing: $0) }
      return LookupSetup(
        path: try! FieldPath(parsing: field),
        trees: Corpus.Workload(trees, bytes: trees.map { _ in 0 }))
    }
  }
}

struct LookupSetup {
  let path: FieldPath
  let trees: Corpus.Workload<JSONValue>
}
