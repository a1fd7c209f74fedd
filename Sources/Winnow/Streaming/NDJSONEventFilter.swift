/// Filters a stream of NDJSON events: one JSON object per line in, the matching lines out,
/// byte for byte.
///
/// Every line is parsed in full, so a line that is not a JSON object (or not an event) is
/// reported, never silently matched or dropped; blank lines are skipped and counted. The
/// parser's buffers are reused, so a stream costs no allocation per line.
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
    package init(lines: Int = 0, matched: Int = 0, notMatched: Int = 0, blank: Int = 0, errors: Int = 0) {
      self.lines = lines
      self.matched = matched
      self.notMatched = notMatched
      self.blank = blank
      self.errors = errors
    }
  }

  /// A line that could not be read as an event.
  public struct LineError {
    /// The 1-based number of the line in the stream.
    public let lineNumber: Int
    /// What was wrong, with its byte offset in the line.
    public let diagnostic: Diagnostic
    /// The line's bytes, valid only during the report.
    public let line: UnsafeBufferPointer<UInt8>
  }

  /// Decides whether the event viewed, with its fields read, is kept.
  typealias Predicate = (JSONView, EventFields) -> Bool

  private let predicate: Predicate
  private let builder: JSONTapeBuilder
  private let limitHits: () -> Int
  /// The counts so far.
  public private(set) var statistics = Statistics()

  init(
    limits: JSONLimits = JSONLimits(), limitHits: @escaping () -> Int = { 0 },
    predicate: @escaping Predicate
  ) {
    self.predicate = predicate
    self.limitHits = limitHits
    builder = JSONTapeBuilder(limits: limits)
  }

  /// A stream filter that keeps the events a compiled filter matches (event rules).
  public convenience init(filter: CompiledFilter, limits: JSONLimits = JSONLimits()) {
    self.init(limits: limits, limitHits: { filter.regexLimitHits }) { view, fields in
      filter.evaluate(Subject(event: view, fields: fields))
    }
  }

  /// A stream filter that keeps the events any of `specifiers` matches; an event matched by
  /// several is kept once.
  public convenience init(specifiers: [EventSpecifier], limits: JSONLimits = JSONLimits()) {
    let matcher = EventMatcher(specifiers)
    self.init(limits: limits, limitHits: { matcher.regexLimitHits }, predicate: matcher.matches)
  }

  /// How many regex matches gave up at the engine's limits (each counted as no match).
  public var regexLimitHits: Int { limitHits() }

  /// Tests one line (without its LF); counts it, and returns whether it matched. Errors go to
  /// `report`.
  @inline(__always)
  public func test(_ line: UnsafeBufferPointer<UInt8>, report: (LineError) -> Void) -> Bool {
    statistics.lines += 1
    if NDJSONEventFilter.isBlank(line) {
      statistics.blank += 1
      return false
    }
    do throws(Diagnostic) {
      try builder.parseDocument(line)
      let view = builder.view(source: line)
      let fields = try EventFields(view)
      if predicate(view, fields) {
        statistics.matched += 1
        return true
      }
      statistics.notMatched += 1
      return false
    } catch {
      statistics.errors += 1
      report(LineError(lineNumber: statistics.lines, diagnostic: error, line: line))
      return false
    }
  }

  /// Reads every line of `reader`, writes the matching ones to `output` (each followed by LF,
  /// a trailing CR kept), and sends errors to `report`.
  package func run(
    _ reader: LineReader, output: OutputBuffer?, report: (LineError) -> Void
  ) throws(LineReader.ReadError) {
    try reader.forEachLine { line in
      if test(line, report: report) { output?.append(line, terminator: 0x0A) }
      return true
    }
  }

  @inline(__always)
  package static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in line where b != 0x20 && b != 0x09 && b != 0x0D { return false }
    return true
  }
}
