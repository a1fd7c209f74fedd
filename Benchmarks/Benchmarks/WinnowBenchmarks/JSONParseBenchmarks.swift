import Benchmark
import Foundation
import Winnow

/// Parsing one DRP event, per size class.
///
/// - `JSONParse_<class>`: `JSONDocument(parsing:)`, the form filters evaluate (the hot path);
/// - `JSONParseToValue_<class>`: parsing plus conversion to a `JSONValue` tree;
/// - `FoundationJSONSerialization_<class>`: `JSONSerialization.jsonObject(with:)` on the same
///   events, the baseline the figures are quoted against.
func registerJSONParseBenchmarks() {
  for sizeClass in Corpus.sizeClasses {
    let configuration = Benchmark.Configuration(
      scalingFactor: sizeClass.scalingFactor,
      thresholds: [
        .mallocCountTotal: Corpus.mallocTolerance(eventsPerIteration: sizeClass.eventsPerIteration)
      ])

    Benchmark("JSONParse_\(sizeClass.name)", configuration: configuration) { benchmark, workload in
      Corpus.measureThroughput(benchmark, workload) { bytes in
        blackHole(try! JSONDocument(parsing: bytes))
      }
    } setup: {
      Corpus.workload(sizeClass) { $0 }
    }

    Benchmark("JSONParseToValue_\(sizeClass.name)", configuration: configuration) {
      benchmark, workload in
      Corpus.measureThroughput(benchmark, workload) { bytes in
        blackHole(try! JSONValue(parsing: bytes))
      }
    } setup: {
      Corpus.workload(sizeClass) { $0 }
    }

    Benchmark("FoundationJSONSerialization_\(sizeClass.name)", configuration: configuration) {
      benchmark, workload in
      Corpus.measureThroughput(benchmark, workload) { data in
        blackHole(try! JSONSerialization.jsonObject(with: data))
      }
    } setup: {
      Corpus.workload(sizeClass) { Data($0) }
    }
  }
}
