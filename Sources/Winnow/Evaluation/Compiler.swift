/// Evaluates a compiled term against a subject.
typealias Evaluator = @Sendable (Subject) -> Bool

/// Turns terms into closures (cel-go's "planner"): everything decidable once is decided here, never
/// per event.
///
/// Paths are prepared, `Eq`/`In` operands become a ``LiteralSet``, `Ne`/`Nin` are the negation of
/// `Eq`/`In`, and regexes arrive compiled.
///
/// With a recorder, the same plan is compiled for `explain`: every node reports whether it
/// held (field terms also what they found) and combinators evaluate all their operands.
struct Compiler {
  /// The regexes met while compiling, so their limit hits can be counted (and kept alive:
  /// the closures hold them unowned).
  private(set) var patterns: [RE2Pattern] = []
  /// Owns the prepared paths and literal sets the closures point into.
  let arena = EvaluationArena()
  /// Where an observing plan reports; nil for the plan that evaluates.
  private let recorder: PlanRecorder?

  init(recorder: PlanRecorder? = nil) {
    self.recorder = recorder
  }

  mutating func compile(_ term: Term) -> Evaluator {
    if let recorder { return compileObserving(term, recorder) }
    switch term {
    case .and(let terms):
      return Compiler.balanced(terms.map { compile($0) }, identity: { _ in true }) {
        first, second in { first($0) && second($0) }
      }
    case .or(let terms):
      return Compiler.balanced(terms.map { compile($0) }, identity: { _ in false }) {
        first, second in { first($0) || second($0) }
      }
    case .not(let inner):
      let body = compile(inner)
      return { !body($0) }
    case .field(let path, let test):
      return compile(test, at: CompiledPath(path, in: arena))
    }
  }

  /// Joins evaluators pairwise into a balanced tree (depth log2 n), left to right.
  ///
  /// Each node captures its two children as constants, so a call borrows them: no reference
  /// counting, which iterating an array of closures would cost on every event.
  private static func balanced(
    _ parts: [Evaluator], identity: @escaping Evaluator,
    _ join: (@escaping Evaluator, @escaping Evaluator) -> Evaluator
  ) -> Evaluator {
    // Terms built in code may hold no operands: And() is vacuously true, Or() false. (The
    // parser never produces these.)
    if parts.isEmpty { return identity }
    if parts.count == 1 { return parts[0] }
    let middle = parts.count / 2
    return join(
      balanced(Array(parts[..<middle]), identity: identity, join),
      balanced(Array(parts[middle...]), identity: identity, join))
  }

  /// The observing plan of `term`: the same field tests, wrapped to report to `recorder`.
  private mutating func compileObserving(_ term: Term, _ recorder: PlanRecorder) -> Evaluator {
    let node = recorder.newNode()
    switch term {
    case .and(let terms), .or(let terms):
      let isAnd: Bool
      if case .and = term { isAnd = true } else { isAnd = false }
      let parts = terms.map { compileObserving($0, recorder) }
      return { subject in
        var held = isAnd
        for part in parts where part(subject) != isAnd { held = !isAnd }  // no short-circuit
        recorder.record(node, held: held)
        return held
      }
    case .not(let inner):
      let body = compileObserving(inner, recorder)
      return { subject in
        let held = !body(subject)
        recorder.record(node, held: held)
        return held
      }
    case .field(let path, let test):
      let compiledPath = CompiledPath(path, in: arena)
      let evaluate = compile(test, at: compiledPath)
      let comparesVersions: Bool
      if case .changed = test { comparesVersions = true } else { comparesVersions = false }
      return { subject in
        let held = evaluate(subject)
        recorder.record(
          node, held: held, compiledPath.observe(subject, comparingVersions: comparesVersions))
        return held
      }
    }
  }

  private mutating func compile(_ test: FieldTest, at path: CompiledPath) -> Evaluator {
    switch test {
    case .exists:
      return { path.find($0) != nil }
    case .eq(let value):
      return Compiler.membership(LiteralSet([value], in: arena), at: path)
    case .ne(let value):
      let eq = Compiler.membership(LiteralSet([value], in: arena), at: path)
      return { !eq($0) }
    case .in(let values):
      return Compiler.membership(LiteralSet(values, in: arena), at: path)
    case .nin(let values):
      let inSet = Compiler.membership(LiteralSet(values, in: arena), at: path)
      return { !inSet($0) }
    case .re(let pattern):
      patterns.append(pattern)
      return { [unowned(unsafe) pattern] subject in
        guard let node = path.find(subject), subject.view.kind(node) == .string
        else { return false }
        return pattern.matches(subject.view.string(node))
      }
    case .changed(let from, let to):
      return Compiler.changed(
        from: from.map { LiteralSet([$0], in: arena) }, to: to.map { LiteralSet([$0], in: arena) },
        at: path)
    }
  }

  private static func membership(_ set: LiteralSet, at path: CompiledPath) -> Evaluator {
    { subject in
      guard let node = path.find(subject) else { return false }
      return set.contains(subject.view, node)
    }
  }

  /// `Changed(from,to)`: on events, compares the field inside `Original` and `Object`; on plain
  /// JSON, true when `to` is not given or the field's value equals it (SPEC section 4).
  private static func changed(from: LiteralSet?, to: LiteralSet?, at path: CompiledPath)
    -> Evaluator
  {
    { subject in
      let view = subject.view
      guard subject.isEvent else {
        guard let to else { return true }
        guard let node = path.find(subject) else { return false }
        return to.contains(view, node)
      }
      let after = subject.object < 0 ? nil : path.find(in: view, from: subject.object)
      let before = subject.original < 0 ? nil : path.find(in: view, from: subject.original)
      if subject.object >= 0, subject.original >= 0 {
        switch (before, after) {
        case (nil, nil): return false
        case (let b?, let a?) where view.equal(b, a): return false
        default: break
        }
      }
      if let from {
        guard let before, from.contains(view, before) else { return false }
      }
      if let to {
        guard let after, to.contains(view, after) else { return false }
      }
      return true
    }
  }
}
