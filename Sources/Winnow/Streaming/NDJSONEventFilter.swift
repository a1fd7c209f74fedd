/// Filters a stream of NDJSON events: one JSON object per line in, the matching lines out,
/// byte for byte.
///
/// Every line is parsed in full, so a line that is not a JSON object (or not an event) is
/// reported, never silently matched or dropped; blank lines are skipped and counted. The
/// parser's buffers are reused, so a stream costs no allocation per line.
package final class NDJSONEventFilter {
  /// What happened to every line of a run; the counts add up to ``lines``.
  package struct Statistics: Sendable, Equatable {
    package var lines = 0
    package var matched = 0
    package var notMatched = 0
    package var blank = 0
    package var errors = 0
  }

  /// A line that could not be read as an event.
  package struct LineError {
    package let lineNumber: Int
    package let diagnostic: Diagnostic
    package let line: UnsafeBufferPointer<UInt8>
  }

  /// Decides whether the event viewed, with its fields read, is kept.
  typealias Predicate = (JSONView, EventFields) -> Bool

  private let predicate: Predicate
  private let builder: JSONTapeBuilder
  private let limitHits: () -> Int
  package private(set) var statistics = Statistics()

  init(
    limits: JSONLimits = JSONLimits(), limitHits: @escaping () -> Int = { 0 },
    predicate: @escaping Predicate
  ) {
    self.predicate = predicate
    self.limitHits = limitHits
    builder = JSONTapeBuilder(limits: limits)
  }

  /// A stream filter that keeps the events a compiled filter matches (event rules).
  package convenience init(filter: CompiledFilter, limits: JSONLimits = JSONLimits()) {
    self.init(limits: limits, limitHits: { filter.regexLimitHits }) { view, fields in
      filter.evaluate(Subject(event: view, fields: fields))
    }
  }

  /// A stream filter that keeps the events any of `specifiers` matches; an event matched by
  /// several is kept once.
  package convenience init(specifiers: [EventSpecifier], limits: JSONLimits = JSONLimits()) {
    let filters = specifiers.compactMap(\.compiledFilter)
    self.init(limits: limits, limitHits: { filters.reduce(0) { $0 + $1.regexLimitHits } }) {
      view, fields in
      for specifier in specifiers where specifier.matches(view, fields) { return true }
      return false
    }
  }

  /// How many regex matches gave up at the engine's limits (each counted as no match).
  package var regexLimitHits: Int { limitHits() }

  /// Tests one line (without its LF); counts it, and returns whether it matched. Errors go to
  /// `report`.
  @inline(__always)
  package func test(_ line: UnsafeBufferPointer<UInt8>, report: (LineError) -> Void) -> Bool {
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
