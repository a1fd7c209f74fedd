import Benchmark
import Winnow

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `NDJSON_W1`…`NDJSON_W6`: bytes in, matching lines out, in memory.
///
/// The input is one buffer holding the first 2,000 events of the seed-1 stream as NDJSON (4.3 MB);
/// the measured loop finds each line with `memchr`, passes it to `NDJSONEventFilter.test` and
/// appends matching lines (with their LF) to an output buffer whose capacity was reserved in setup,
/// as `winnow match` does, without the file reading and the write to standard output.
///
/// One scaled iteration is one line (event); a measured iteration takes the next 1,000 lines,
/// wrapping around at the end of the buffer (the output buffer is emptied there). So
/// `.throughput` is events per second, `MBps` the input bytes per second and
/// `mallocCountTotal` allocations per event (the target is 0: the filter reuses its parser).
func registerNDJSONBenchmarks() {
  for workload in Workloads.all {
    Benchmark(
      "NDJSON_\(workload.name)",
      configuration: .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, Corpus.megabytesPerSecond],
        thresholds: [.mallocCountTotal: Corpus.noMallocTolerance])
    ) { (benchmark: Benchmark, stream: NDJSONStream) in
      stream.run(benchmark)
    } setup: {
      let stream = NDJSONStream(filter: Workloads.compiled(workload))
      stream.warmUp()
      return stream
    }
  }
}

/// The input buffer, the filter, the output buffer and where the next iteration starts.
final class NDJSONStream {
  /// Events in the input buffer.
  static let eventCount = 2_000

  let input: UnsafeMutableBufferPointer<UInt8>
  let filter: NDJSONEventFilter
  var output: [UInt8] = []
  var offset = 0

  init(filter compiled: CompiledFilter) {
    let events = Corpus.stream.prefix(NDJSONStream.eventCount)
    let size = events.reduce(0) { $0 + $1.count + 1 }
    input = .allocate(capacity: size)
    var position = 0
    for event in events {
      _ = UnsafeMutableBufferPointer(rebasing: input[position...]).initialize(from: event)
      position += event.count
      input[position] = 0x0A
      position += 1
    }
    precondition(position == size)
    filter = NDJSONEventFilter(filter: compiled)
    output.reserveCapacity(size)
  }

  deinit { input.deallocate() }

  /// One pass over the whole buffer outside the measurement: the parser's buffers grow to the
  /// largest event once, and the output's capacity is checked.
  func warmUp() {
    let capacity = output.capacity
    for _ in 0..<NDJSONStream.eventCount { step() }
    precondition(offset == 0 && filter.statistics.errors == 0)
    precondition(filter.statistics.matched > 0, "no match")
    precondition(output.capacity == capacity)
  }

  /// Tests the next line and keeps it if it matches.
  @inline(__always) @discardableResult
  func step() -> Int {
    let base = UnsafeRawPointer(input.baseAddress!)
    let end = input.count
    let start = offset
    let newline = memchr(base + start, 0x0A, end - start)!
    let stop = UnsafeRawPointer(newline) - base
    let line = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(input)[start..<stop])
    if filter.test(line, report: { _ in }) {
      output.append(
        contentsOf: UnsafeBufferPointer(rebasing: UnsafeBufferPointer(input)[start...stop]))
    }
    offset = stop + 1
    if offset == end {
      offset = 0
      output.removeAll(keepingCapacity: true)
    }
    return stop + 1 - start
  }

  func run(_ benchmark: Benchmark) {
    var bytes = 0
    let start = ContinuousClock.now
    for _ in benchmark.scaledIterations { bytes &+= step() }
    let elapsed = ContinuousClock.now - start
    benchmark.stopMeasurement()
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    if seconds > 0 {
      benchmark.measurement(
        Corpus.megabytesPerSecond, Int((Double(bytes) / seconds / 1e6).rounded()))
    }
  }
}
