/// A filter turned into closures, ready to evaluate against documents and events.
///
/// Compile once and evaluate many times; a compiled filter is immutable and can be used from
/// any number of threads at once.
public struct CompiledFilter: Sendable {
  /// The term this was compiled from.
  public let term: Term
  private let evaluator: Evaluator
  private let patterns: [RE2Pattern]
  /// Keeps alive the memory the evaluator's closures point into.
  private let arena: EvaluationArena

  /// Compiles a term.
  public init(_ term: Term) {
    self.term = term
    var compiler = Compiler()
    evaluator = compiler.compile(term)
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
    event.withSubject(evaluator)
  }

  /// Evaluates against a prepared subject: the hot path of streams and subscriptions.
  @inline(__always)
  func evaluate(_ subject: Subject) -> Bool { evaluator(subject) }

  /// How many regex matches gave up at the match or depth limit (each counted as no match),
  /// summed over this filter's patterns since they were compiled.
  public var regexLimitHits: Int { patterns.reduce(0) { $0 + $1.limitHits } }
}
