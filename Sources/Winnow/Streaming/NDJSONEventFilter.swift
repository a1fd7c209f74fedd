/// Filters a stream of NDJSON events: one JSON object per line in, the matching lines out,
/// byte for byte.
///
/// Every line is parsed in full, so a line that is not a JSON object (or not an event) is
/// reported, never silently matched or dropped; blank lines are skipped and counted; a line
/// longer than ``JSONLimits/maxLineBytes`` is reported and skipped without being kept. The
/// parser's buffers are reused, so a stream costs no allocation per line.
///
/// `run(_:output:flush:progress:report:)` is the loop `winnow match` runs: it reads a
/// `LineReader`, writes matches to an `OutputBuffer` and numbers lines per input.
public final class NDJSONEventFilter {
  /// What happened to every line of a run; the counts add up to ``lines``.
  public struct Statistics: Sendable, Equatable {
    /// Every line seen, blank ones included.
    public var lines = 0
    /// Lines holding an event that matched.
    public var matched = 0
    /// Lines holding an event that did not match.
    public var notMatched = 0
    /// Empty or whitespace-only lines, skipped.
    public var blank = 0
    /// Lines that were not a JSON object or not an event, reported and skipped.
    public var errors = 0

    /// Counts for a run, for comparisons in tests.
    package init(
      lines: Int = 0, matched: Int = 0, notMatched: Int = 0, blank: Int = 0, errors: Int = 0
    ) {
      self.lines = lines
      self.matched = matched
      self.notMatched = notMatched
      self.blank = blank
      self.errors = errors
    }
  }

  /// A line that could not be read as an event, or that was longer than the line limit.
  public struct LineError {
    /// The 1-based number of the line in its input (in `run(_:output:flush:progress:report:)`),
    /// or in everything ``test(_:report:)`` has seen.
    public let lineNumber: Int
    /// What was wrong, with its byte offset in the line.
    public let diagnostic: Diagnostic
    /// The line's bytes (for an over-long line, its first ``JSONLimits/maxLineBytes`` + 1), valid
    /// only during the report.
    public let line: UnsafeBufferPointer<UInt8>
  }

  /// Decides whether the event viewed, with its fields read, is kept: the seam through which
  /// any matcher (a compiled filter, specifiers, a subscription index) drives the loop.
  typealias Predicate = (JSONView, EventFields) -> Bool

  let predicate: Predicate
  /// The members the predicate can read (see ``MemberProjection``), or nil to parse every
  /// line in full.
  let projection: MemberProjection?
  private let projectionKeys: MemberProjection.Keys?
  private let builder: JSONTapeBuilder
  private let limitHits: () -> Int
  /// The limits lines are read with.
  public let limits: JSONLimits
  /// The counts so far.
  public internal(set) var statistics = Statistics()

  /// A stream filter that keeps the events `predicate` holds for; `limitHits` counts the regex
  /// matches the matcher gave up on.
  ///
  /// With a `projection`, lines are first parsed keeping only its members (see
  /// ``MemberProjection``); a line that parse declines is parsed again in full.
  init(
    limits: JSONLimits = JSONLimits(), limitHits: @escaping () -> Int = { 0 },
    projection: MemberProjection? = nil, predicate: @escaping Predicate
  ) {
    self.predicate = predicate
    self.projection = projection
    projectionKeys = projection?.keys
    self.limitHits = limitHits
    self.limits = limits
    builder = JSONTapeBuilder(limits: limits)
  }

  /// A stream filter that keeps the events a compiled filter matches (event rules).
  public convenience init(filter: CompiledFilter, limits: JSONLimits = JSONLimits()) {
    self.init(
      limits: limits, limitHits: { filter.regexLimitHits },
      projection: MemberProjection.event(filter: filter)?.worthUsingForEvents
    ) { view, fields in
      filter.evaluate(Subject(event: view, fields: fields))
    }
  }

  /// A stream filter that keeps the events any of `specifiers` matches; an event matched by
  /// several is kept once.
  public convenience init(specifiers: [EventSpecifier], limits: JSONLimits = JSONLimits()) {
    let matcher = EventMatcher(specifiers)
    self.init(
      limits: limits, limitHits: { matcher.regexLimitHits },
      projection: MemberProjection.event(specifiers: matcher.specifiers)?.worthUsingForEvents,
      predicate: matcher.matches)
  }

  /// How many regex matches gave up at the engine's limits (each counted as no match).
  public var regexLimitHits: Int { limitHits() }

  /// Tests one line (without its LF); counts it, and returns whether it matched.
  ///
  /// Errors go to `report`, numbered by the lines this filter has seen. A line longer than
  /// ``JSONLimits/maxLineBytes`` is an error.
  @inline(__always)
  public func test(_ line: UnsafeBufferPointer<UInt8>, report: (LineError) -> Void) -> Bool {
    guard line.count <= limits.maxLineBytes else {
      let prefix = UnsafeBufferPointer(rebasing: line[...limits.maxLineBytes])
      countOverlong(
        prefix, limit: limits.maxLineBytes, lineNumber: statistics.lines + 1, report: report)
      return false
    }
    return test(line, lineNumber: statistics.lines + 1, report: report)
  }

  @inline(__always)
  func test(
    _ line: UnsafeBufferPointer<UInt8>, lineNumber: Int, report: (LineError) -> Void
  ) -> Bool {
    statistics.lines += 1
    if ByteClass.isBlankLine(line) {
      statistics.blank += 1
      return false
    }
    do throws(Diagnostic) {
      let fields = try parseEvent(line)
      let view = builder.view(source: line)
      if predicate(view, fields) {
        statistics.matched += 1
        return true
      }
      statistics.notMatched += 1
      return false
    } catch {
      statistics.errors += 1
      report(LineError(lineNumber: lineNumber, diagnostic: error, line: line))
      return false
    }
  }

  /// Parses a line as an event into the builder: with the projection when there is one, and
  /// in full when there is none or the projected parse declines the line (or finds it is no
  /// event), so that every error is the full parser's.
  @inline(__always)
  private func parseEvent(_ line: UnsafeBufferPointer<UInt8>) throws(Diagnostic) -> EventFields {
    if let projectionKeys {
      do throws(Diagnostic) {
        try builder.parseDocument(line, projection: projectionKeys)
        return try EventFields(builder.view(source: line))
      } catch {}
    }
    try builder.parseDocument(line)
    return try EventFields(builder.view(source: line))
  }

  /// Counts and reports a line longer than the limit, given by its first bytes.
  func countOverlong(
    _ prefix: UnsafeBufferPointer<UInt8>, limit: Int, lineNumber: Int, report: (LineError) -> Void
  ) {
    statistics.lines += 1
    statistics.errors += 1
    report(LineError(lineNumber: lineNumber, diagnostic: Self.overlong(limit: limit), line: prefix))
  }

  /// The error of a line longer than `limit` bytes, placed at its first byte past the limit.
  package static func overlong(limit: Int) -> Diagnostic {
    Diagnostic(
      .limitExceeded,
      "the line is longer than the line limit of \(limit) bytes; skipped to its end",
      at: limit)
  }

  /// When matching lines are written.
  package enum FlushPolicy: Sendable {
    /// In large blocks (when the output buffer fills, and at the end).
    case block
    /// After every matching line (a terminal, `tail -f | winnow match --line-buffered`).
    case eachLine
  }

  /// How a run ended.
  package enum RunEnd: Sendable, Equatable {
    /// Every line of the input was read.
    case endOfInput
    /// A write failed (a closed pipe): reading stopped, since nothing more can be written.
    case writeFailed
  }

  /// The line reader options that read lines within ``limits``.
  package var readerOptions: LineReader.Options {
    LineReader.Options(maxLineBytes: limits.maxLineBytes)
  }

  /// The stream loop of `winnow match`: reads every line of `reader`, counts it, writes each
  /// matching one to `output` (followed by LF, a trailing CR kept) as `flush` says, and sends
  /// errors to `report` with their line numbers in this input (an over-long line included: reported
  /// when its limit is passed, then skipped).
  ///
  /// `progress` gets the number of bytes read whenever it grew. Stops early when a write fails.
  /// With `parallel` options of two or more workers and `flush` `.block`, blocks of lines are
  /// filtered on several threads, with the same results (see
  /// `runInParallel(_:output:parallel:progress:report:)`); the matcher must then be safe to
  /// use from several threads.
  @discardableResult
  package func run(
    _ reader: LineReader, output: OutputBuffer?, flush: FlushPolicy = .block,
    parallel: ParallelOptions? = nil, progress: ((_ bytesRead: Int) -> Void)? = nil,
    report: (LineError) -> Void
  ) throws(LineReader.ReadError) -> RunEnd {
    // (An over-long line within a block ends there; the sequential loop would give it up as
    // endless only past `maxSkippedBytes`, so blocks must not be longer than that.)
    if let parallel, parallel.workers > 1, flush == .block,
      parallel.blockSize <= reader.options.maxSkippedBytes
    {
      return try runInParallel(
        reader, output: output, parallel: parallel, progress: progress, report: report)
    }
    var end = RunEnd.endOfInput
    var bytesSeen = 0
    try reader.forEachLine { line in
      if test(line, lineNumber: reader.lineNumber, report: report), let output {
        output.append(line, terminator: 0x0A)
        if flush == .eachLine { output.flush() }
        if output.failed {
          end = .writeFailed
          return false
        }
      }
      if let progress, reader.bytesRead != bytesSeen {
        bytesSeen = reader.bytesRead
        progress(bytesSeen)
      }
      return true
    } overlong: { line in
      countOverlong(line.prefix, limit: line.limit, lineNumber: reader.lineNumber, report: report)
      return true
    }
    if let output, end == .endOfInput {
      output.flush()
      if output.failed { end = .writeFailed }
    }
    return end
  }
}
