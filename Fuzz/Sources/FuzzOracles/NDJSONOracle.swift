// The stream classes have `package` access: reached through `@testable import` (see RegexOracle).
@testable import Winnow

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The oracle of FuzzNDJSON: the CLI's stream path (`LineReader` → `NDJSONEventFilter` →
/// `OutputBuffer`) on any input, against splitting the same bytes by hand.
///
/// The first byte picks the reader's block size (1 to 64 bytes, so lines straddle blocks and the
/// buffer grows), the second the output buffer's capacity (2 to 65 bytes, so long lines bypass
/// it) and the third one of a few filters (its two lowest bits) and the line limit (the next
/// three: mostly the default, else 1, 16 or 100 bytes); the rest is the stream, fed through a
/// pipe.
///
/// - The output is exactly the matching lines, byte for byte (a trailing CR kept), each followed
///   by LF, in order; a line matches when it reads as an event (`Event(parsing:)`) and
///   ``ReferenceInterpreter`` says the filter holds under the event rules.
/// - The statistics count every line once: blank (only space, tab, CR), error, matched or not
///   matched, as the reference counts them, and errors are reported with their line numbers. A
///   line longer than the limit (its LF not counted) is an error, whatever it holds.
///
/// - The projected parse (only the top-level members the matcher reads get tape nodes) gives
///   every line the same decision and the same diagnostic as a full parse, for the filter and
///   for a set of specifiers (see ``checkProjectedParse(_:filter:)``).
///
/// Returns nil when every check holds, or a message naming the first that failed.
public func checkNDJSONStream(_ bytes: [UInt8]) -> String? {
  var input = FuzzBytes(bytes)
  let blockSize = 1 + input.below(64)
  let capacity = 2 + input.below(64)
  let choice = Int(input.byte())
  let filterText = ndjsonFilters[choice % ndjsonFilters.count]
  let lineLimit =
    [nil, nil, nil, nil, nil, 1, 16, 100][(choice / 4) % 8] ?? JSONLimits.defaultMaxLineBytes
  let stream = Array(bytes.dropFirst(3))
  let filter = try! Filter(parsing: filterText)

  // What the stream must produce.
  var expected = NDJSONEventFilter.Statistics()
  var expectedOutput: [UInt8] = []
  var expectedErrors: [Int] = []
  var lines = stream.split(separator: 0x0A, omittingEmptySubsequences: false)
  if lines.last?.isEmpty == true { lines.removeLast() }  // the LF that ends the last line
  for (n, line) in lines.enumerated() {
    expected.lines += 1
    if line.count > lineLimit {
      expected.errors += 1
      expectedErrors.append(n + 1)
    } else if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
      expected.blank += 1
    } else if let event = try? Event(parsing: Array(line)) {
      if ReferenceInterpreter.evaluate(filter.term, on: event.document.value, asEvent: true) {
        expected.matched += 1
        expectedOutput += line + [0x0A]
      } else {
        expected.notMatched += 1
      }
    } else {
      expected.errors += 1
      expectedErrors.append(n + 1)
    }
  }

  if let failure = checkProjectedParse(lines, filter: filter) { return failure }

  // What it does produce.
  guard let inputPipe = makePipe(), let outputPipe = makePipe() else { return nil }
  defer { close(outputPipe.read) }
  stream.withUnsafeBytes { raw in
    var offset = 0
    while offset < raw.count {
      let n = write(inputPipe.write, raw.baseAddress! + offset, raw.count - offset)
      if n <= 0 { break }
      offset += n
    }
  }
  close(inputPipe.write)
  let streamFilter = NDJSONEventFilter(
    filter: filter.compiled(), limits: JSONLimits(maxLineBytes: lineLimit))
  var reportedErrors: [Int] = []
  do {
    let reader = LineReader(
      fd: inputPipe.read, options: LineReader.Options(maxLineBytes: lineLimit, blockSize: blockSize)
    )
    let output = OutputBuffer(fd: outputPipe.write, capacity: capacity)
    try streamFilter.run(reader, output: output) { reportedErrors.append($0.lineNumber) }
    output.flush()
  } catch {
    close(inputPipe.read)
    close(outputPipe.write)
    return "reading the pipe failed: \(error.message)"
  }
  close(inputPipe.read)
  close(outputPipe.write)
  var output: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  while true {
    let n = read(outputPipe.read, &chunk, chunk.count)
    if n <= 0 { break }
    output += chunk[..<n]
  }

  guard streamFilter.statistics == expected else {
    return
      "statistics \(streamFilter.statistics), expected \(expected) (block \(blockSize), limit \(lineLimit))"
  }
  guard reportedErrors == expectedErrors else {
    return "errors reported on lines \(reportedErrors), expected \(expectedErrors)"
  }
  guard output == expectedOutput else {
    return "output \(String(decoding: output, as: UTF8.self).debugDescription), expected "
      + "\(String(decoding: expectedOutput, as: UTF8.self).debugDescription) (block \(blockSize), capacity \(capacity))"
  }
  return nil
}

/// The stream filter `winnow match` builds (which parses with a ``MemberProjection``) against
/// the same predicate parsing every line in full: same decision, same diagnostic.
func checkProjectedParse(_ lines: [ArraySlice<UInt8>], filter: Filter) -> String? {
  let specifiers = ["machine_jobs.*.*", "jobs.update.*", "*.*.*.Meta.x=Exists()"].map {
    try! EventSpecifier(parsing: $0)
  }
  let compiled = filter.compiled()
  let streams = [NDJSONEventFilter(filter: compiled), NDJSONEventFilter(specifiers: specifiers)]
  // Each matcher with its projection, even one `winnow match` would not use (keeping Object).
  let projections = [
    MemberProjection.event(filter: compiled), MemberProjection.event(specifiers: specifiers),
  ]
  let matchers = zip(streams, projections).map { stream, projection in
    NDJSONEventFilter(limits: stream.limits, projection: projection, predicate: stream.predicate)
  }
  for projected in matchers {
    let full = NDJSONEventFilter(limits: projected.limits, predicate: projected.predicate)
    for line in lines {
      var projectedError: Diagnostic? = nil
      var fullError: Diagnostic? = nil
      let (projectedMatch, fullMatch) = Array(line).withUnsafeBufferPointer { bytes in
        (
          projected.test(bytes) { projectedError = $0.diagnostic },
          full.test(bytes) { fullError = $0.diagnostic }
        )
      }
      guard projectedMatch == fullMatch, projectedError == fullError else {
        return
          "projected parse: matched \(projectedMatch), error \(String(describing: projectedError)); "
          + "full parse: matched \(fullMatch), error \(String(describing: fullError)); line "
          + String(decoding: line, as: UTF8.self).debugDescription
      }
    }
  }
  return nil
}

let ndjsonFilters = [
  #"Type=Eq("machines")"#, #"Object=Exists()"#, #"Not(Type=Eq("x"))"#,
  #"Or(Object.Stage=Changed(),Key=Re("^a"))"#,
]

private func makePipe() -> (read: Int32, write: Int32)? {
  var fds: [Int32] = [0, 0]
  guard pipe(&fds) == 0 else { return nil }
  return (fds[0], fds[1])
}
