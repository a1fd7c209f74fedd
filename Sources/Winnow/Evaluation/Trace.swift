/// A record of one evaluation: every term of a filter with whether it held and, for field
/// terms, the value found at the field. It answers "why did (or didn't) my filter match?" and is
/// what `winnow explain` prints.
///
/// The walk follows ``ReferenceInterpreter``'s rules, so its result agrees with
/// ``CompiledFilter`` (tests check this). Unlike an evaluation, it records every operand, also the
/// ones a combinator did not need; those are marked not ``reached``.
public struct Trace: Hashable, Sendable {
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
    /// The value at the field, looked up from the subject's root.
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
  public let operands: [Trace]
  /// For a field term, what was found at its field; nil for combinators.
  public let observation: Observation?

  /// Records the evaluation of `term` against `value`; with `asEvent`, the event rules apply
  /// (see ``ReferenceInterpreter/evaluate(_:on:asEvent:)``).
  public init(_ term: Term, on value: JSONValue, asEvent: Bool) {
    var subject = value
    if asEvent, case .object(var event) = value {
      // The same preparation as the reference interpreter: string members read as "".
      for name in ["Time", "Type", "Action", "Key", "Principal"] {
        if event[name] == nil || event[name] == .null { event[name] = "" }
      }
      subject = .object(event)
    }
    self.init(term, subject: subject, asEvent: asEvent, reached: true)
  }

  private init(_ term: Term, subject: JSONValue, asEvent: Bool, reached: Bool) {
    self.term = term
    self.reached = reached
    switch term {
    case .and(let terms), .or(let terms):
      let stopsAt = term.isAnd ? false : true  // And stops at the first false, Or at the first true
      var operands: [Trace] = []
      var decided = false
      for operand in terms {
        let trace = Trace(operand, subject: subject, asEvent: asEvent, reached: reached && !decided)
        if trace.held == stopsAt { decided = true }
        operands.append(trace)
      }
      self.operands = operands
      held = term.isAnd ? !decided : decided
      observation = nil
    case .not(let inner):
      let trace = Trace(inner, subject: subject, asEvent: asEvent, reached: reached)
      operands = [trace]
      held = !trace.held
      observation = nil
    case .field(let path, let test):
      operands = []
      held = ReferenceInterpreter.evaluate(test, at: path, on: subject, asEvent: asEvent)
      if asEvent, case .changed = test {
        observation = .changed(
          original: Trace.lookup(path, inside: subject["Original"]),
          object: Trace.lookup(path, inside: subject["Object"]))
      } else {
        observation = .value(path.value(in: subject).map(Lookup.found) ?? .missing)
      }
    }
  }

  /// The field looked up inside an event's `Object` or `Original`, which is absent when it is
  /// missing or `null`.
  private static func lookup(_ path: FieldPath, inside container: JSONValue?) -> Lookup {
    guard let container, container != .null else { return .absent }
    return path.value(in: container).map(Lookup.found) ?? .missing
  }
}

extension Term {
  fileprivate var isAnd: Bool {
    if case .and = self { return true }
    return false
  }
}
