/// A deliberately simple evaluator that walks terms over ``JSONValue`` trees, written straight
/// from the language's definition.
///
/// It is the oracle the compiled closures are checked against (tests and fuzzing) and the
/// engine behind `winnow explain`; it is not meant to be fast.
package enum ReferenceInterpreter {
  /// Evaluates `term` against `value`; with `asEvent`, the event rules apply: `Changed`
  /// compares `Object` and `Original`, and a field that names one of the string members
  /// (`Type`, `/Type`, ...) reads `""` when that member is missing or null.
  package static func evaluate(_ term: Term, on value: JSONValue, asEvent: Bool) -> Bool {
    evaluateTerm(term, on: value, asEvent: asEvent)
  }

  private static func evaluateTerm(_ term: Term, on value: JSONValue, asEvent: Bool) -> Bool {
    switch term {
    case .and(let terms):
      return terms.allSatisfy { evaluateTerm($0, on: value, asEvent: asEvent) }
    case .or(let terms):
      return terms.contains { evaluateTerm($0, on: value, asEvent: asEvent) }
    case .not(let inner):
      return !evaluateTerm(inner, on: value, asEvent: asEvent)
    case .field(let path, let test):
      return evaluate(test, at: path, on: value, asEvent: asEvent)
    }
  }

  /// Evaluates one field test; `value` is the subject as the rules see it.
  static func evaluate(
    _ test: FieldTest, at path: FieldPath, on value: JSONValue, asEvent: Bool
  ) -> Bool {
    var found = path.value(in: value)
    if asEvent, path.namesEventStringMember, found == nil || found == .null { found = "" }
    switch test {
    case .exists: return found != nil
    case .eq(let x): return found == x
    case .ne(let x): return found != x
    case .in(let xs): return found.map(xs.contains) ?? false
    case .nin(let xs): return !(found.map(xs.contains) ?? false)
    case .re(let pattern):
      guard case .string(var text) = found else { return false }
      return text.withUTF8 { pattern.matches($0) }
    case .changed(let from, let to):
      guard asEvent else { return to == nil || found == to }
      let object = present(value["Object"])
      let original = present(value["Original"])
      let after = object.flatMap(path.value(in:))
      let before = original.flatMap(path.value(in:))
      if object != nil, original != nil {
        if after == nil, before == nil { return false }
        if after != nil, before == after { return false }
      }
      if let from, before != from { return false }
      if let to, after != to { return false }
      return true
    }
  }

  /// A member that is missing or `null` is absent for the `Changed` rules.
  private static func present(_ value: JSONValue?) -> JSONValue? {
    if case .null? = value { return nil }
    return value
  }
}
