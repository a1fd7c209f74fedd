/// What the compiled plan of a filter did on one document: every term with whether it held and, for
/// field terms, what was found at the field.
///
/// It answers "why did (or didn't) my filter match?" and is what `winnow explain` prints.
///
/// It is recorded by the compiled plan itself (cel-go's observer approach), compiled so that
/// every node reports to a recorder and combinators evaluate all their operands; so it cannot
/// disagree with ``CompiledFilter/matches(_:)-(Event)``. Operands a short-circuiting evaluation
/// does not need are marked not ``reached``.
public struct Explanation: Hashable, Sendable {
  /// What a field term's lookup found.
  public enum Lookup: Hashable, Sendable {
    /// The value at the field.
    case found(JSONValue)
    /// The field is missing.
    case missing
    /// The object the field is looked up in is itself absent: the event's `Object` or
    /// `Original` is missing or `null` (the `Changed` rules).
    case absent
  }

  /// What a field term looked at.
  public enum Observation: Hashable, Sendable {
    /// The value at the field, looked up from the subject's root (an event's missing or null
    /// string member reads as `""`).
    case value(Lookup)
    /// `Changed` under the event rules: the field looked up inside `Original` and inside `Object`.
    case changed(original: Lookup, object: Lookup)
  }

  /// The term this node records.
  public let term: Term
  /// Whether the term held.
  public let held: Bool
  /// Whether an evaluation gets to this term: false for operands after the one that decided an
  /// `And` (a false one) or an `Or` (a true one), and for everything under such an operand.
  public let reached: Bool
  /// The operands of `And`, `Or` and `Not`, in order; empty for a field term.
  public let operands: [Explanation]
  /// For a field term, what was found at its field; nil for combinators.
  public let observation: Observation?
}

extension CompiledFilter {
  /// Evaluates the filter on an event (event rules) recording every term.
  public func explain(_ event: Event) -> Explanation {
    event.withParsed { explain($0.subject) }
  }

  /// Evaluates the filter on a plain JSON document (plain rules) recording every term.
  public func explain(_ document: JSONDocument) -> Explanation {
    document.withView { explain(Subject(plain: $0)) }
  }

  /// Compiles the observing plan of the same filter, runs it, and builds the record.
  private func explain(_ subject: Subject) -> Explanation {
    let recorder = PlanRecorder()
    var compiler = Compiler(recorder: recorder)
    let plan = compiler.compile(filter.term)
    let held = plan(subject)
    var next = 0
    let explanation = recorder.explanation(of: filter.term, reached: true, next: &next)
    assert(explanation.held == held)
    return explanation
  }
}

/// Where an observing plan's nodes report, by node number (the term tree in pre-order).
///
/// Used by one evaluation at a time: each `explain` compiles a plan with a recorder of its own.
final class PlanRecorder: @unchecked Sendable {
  private var held: [Bool] = []
  private var observations: [Explanation.Observation?] = []

  /// A number for the next node compiled.
  func newNode() -> Int {
    held.append(false)
    observations.append(nil)
    return held.count - 1
  }

  func record(_ node: Int, held: Bool, _ observation: Explanation.Observation? = nil) {
    self.held[node] = held
    observations[node] = observation
  }

  /// The record of `term`, whose node number is `next` (its operands' follow).
  func explanation(of term: Term, reached: Bool, next: inout Int) -> Explanation {
    let node = next
    next += 1
    var operands: [Explanation] = []
    switch term {
    case .and(let terms), .or(let terms):
      // And stops at the first false operand, Or at the first true one.
      let stopsAt: Bool
      if case .and = term { stopsAt = false } else { stopsAt = true }
      var decided = false
      for operand in terms {
        let record = explanation(of: operand, reached: reached && !decided, next: &next)
        if record.held == stopsAt { decided = true }
        operands.append(record)
      }
    case .not(let inner):
      operands = [explanation(of: inner, reached: reached, next: &next)]
    case .field:
      break
    }
    return Explanation(
      term: term, held: held[node], reached: reached, operands: operands,
      observation: observations[node])
  }
}
