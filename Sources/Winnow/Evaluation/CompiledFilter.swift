/// A filter turned into closures, ready to evaluate against documents and events.
///
/// Compile once and evaluate many times; a compiled filter is immutable and can be used from
/// any number of threads at once.
public struct CompiledFilter: Sendable {
  /// The filter this was compiled from.
  public let filter: Filter
  private let evaluator: Evaluator
  private let patterns: [PCRE2Pattern]
  /// Keeps alive the memory the evaluator's closures point into.
  private let arena: EvaluationArena

  /// Compiles a filter.
  public init(_ filter: Filter) {
    self.filter = filter
    var compiler = Compiler()
    evaluator = compiler.compile(filter.term)
    patterns = compiler.patterns
    arena = compiler.arena
  }

  /// Whether the filter matches a plain JSON document (`Changed` uses the plain rule).
  public func matches(_ document: JSONDocument) -> Bool {
    document.withView { evaluator(Subject(plain: $0)) }
  }

  /// Whether the filter matches a plain JSON value (`Changed` uses the plain rule).
  ///
  /// Converts the value into a document first: for many evaluations, parse into a
  /// ``JSONDocument`` once instead.
  public func matches(_ value: JSONValue) -> Bool {
    matches(JSONDocument(value))
  }

  /// Whether the filter matches an event, under the event rules.
  public func matches(_ event: Event) -> Bool {
    event.withParsed { evaluator($0.subject) }
  }

  /// Whether the filter matches a parsed event, under the event rules; allocates nothing.
  public func matches(_ event: ParsedEvent) -> Bool {
    evaluator(event.subject)
  }

  /// Evaluates against a prepared subject: the hot path of streams and subscriptions.
  @inline(__always)
  func evaluate(_ subject: Subject) -> Bool { evaluator(subject) }

  /// How many regex matches gave up at the match or depth limit (each counted as no match),
  /// summed over this filter's patterns since they were compiled (patterns are shared by every
  /// compilation of the same parsed filter).
  public var regexLimitHits: Int { patterns.reduce(0) { $0 + $1.limitHits } }
}

extension Filter {
  /// The filter compiled for evaluation (see ``CompiledFilter``).
  public func compiled() -> CompiledFilter { CompiledFilter(self) }

  /// How many regex matches of this filter's patterns gave up at the engine's limits, over
  /// every evaluation of any compilation of it.
  public var regexLimitHits: Int { term.patterns.reduce(0) { $0 + $1.limitHits } }
}

extension Term {
  /// The regex patterns of the term, in order.
  var patterns: [PCRE2Pattern] {
    switch self {
    case .and(let terms), .or(let terms): terms.flatMap(\.patterns)
    case .not(let term): term.patterns
    case .field(_, .re(let pattern)): [pattern]
    case .field: []
    }
  }
}
