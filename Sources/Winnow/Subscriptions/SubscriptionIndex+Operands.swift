// The field-operand index (Koncorde's idea): `*.actions.*.FILTER` specifiers cannot be told
// apart by type or key, so when the filter requires `field=Eq(x)` or `field=In(x, y, ...)`
// (the filter itself, or an operand of its top-level `And`), the specifier is placed under
// (field, x), (field, y), ... instead. Per event, each distinct indexed field is looked up
// once and its value finds the one bucket of specifiers that can match: 100,000 filters
// `Object.Uuid=Eq("...")` cost one lookup, not 100,000 evaluations.
//
// Values are keyed as JSON equality compares them (SPEC section 4): strings by their decoded
// bytes, numbers by their float value (`-0` is `0`), and `null`, `false`, `true` apart. An
// array or object operand is not indexed.

extension SubscriptionIndex {
  /// A field of the operand index, prepared for lookups.
  struct OperandPath {
    let path: CompiledPath
    /// Owns the memory of `path`.
    let arena: EvaluationArena

    init(_ path: FieldPath) {
      arena = EvaluationArena()
      self.path = CompiledPath(path, in: arena)
    }

    static let unused = OperandPath(try! FieldPath(parsing: "#"))
  }

  /// A literal as the operand index keys it.
  struct OperandValue: Hashable {
    let namespace: Namespace
    let bytes: [UInt8]

    /// The key of a literal, or nil for an array or object.
    init?(_ literal: JSONValue) {
      switch literal {
      case .string(let s): self.init(.operandString, Array(s.utf8))
      case .number(let n): self.init(.operandNumber, OperandValue.numberBytes(n.value))
      case .null: self.init(.operandConstant, [0])
      case .bool(let b): self.init(.operandConstant, [b ? 2 : 1])
      case .array, .object: return nil
      }
    }

    private init(_ namespace: Namespace, _ bytes: [UInt8]) {
      self.namespace = namespace
      self.bytes = bytes
    }

    /// The bytes keying a number: its float's bits, with `-0` as `0`.
    static func numberBytes(_ value: Double) -> [UInt8] {
      withUnsafeBytes(of: (value == 0 ? 0 : value).bitPattern) { Array($0) }
    }

    /// The bytes of a path id in map keys.
    static func pathBytes(_ path: Int32) -> [UInt8] {
      withUnsafeBytes(of: path) { Array($0) }
    }
  }

  /// An `Eq` or `In` test a filter requires, with its values as keys.
  struct RequiredOperand {
    let path: FieldPath
    let keys: [OperandValue]
  }

  /// Where the operand index puts `specifier`: the test it is indexed by, and whether that test is
  /// the whole filter (then the index decides the filter and nothing is compiled).
  ///
  /// Nil when the specifier is placed by type and key: it names a type or a key, or its filter
  /// requires no indexable test.
  func operandPlacement(of specifier: EventSpecifier) -> (RequiredOperand, decidesFilter: Bool)? {
    guard specifier.typeValues == nil, specifier.keyValues == nil, let term = specifier.filter?.term
    else { return nil }
    var conjuncts: [Term] = []
    SubscriptionIndex.collectConjuncts(term, into: &conjuncts)
    var best: RequiredOperand? = nil
    for case .field(let path, let test) in conjuncts {
      let literals: [JSONValue]
      switch test {
      case .eq(let value): literals = [value]
      case .in(let values): literals = values
      default: continue
      }
      var keys: [OperandValue] = []
      for literal in literals {
        guard let key = OperandValue(literal) else {
          keys = []
          break
        }
        if !keys.contains(key) { keys.append(key) }
      }
      // The test with the fewest values wins (an `Eq` over an `In`); `In()` is not indexed.
      if !keys.isEmpty, keys.count < best?.keys.count ?? .max {
        best = RequiredOperand(path: path, keys: keys)
      }
    }
    guard let best else { return nil }
    return (best, conjuncts.count == 1)
  }

  /// The operands of nested top-level `And`s, in order (the term itself when it is no `And`).
  private static func collectConjuncts(_ term: Term, into conjuncts: inout [Term]) {
    if case .and(let terms) = term {
      for term in terms { collectConjuncts(term, into: &conjuncts) }
    } else {
      conjuncts.append(term)
    }
  }

  /// The map value of the operand bucket for the value at `node` under operand path `path`,
  /// found without allocating; nil when there is none.
  @inline(__always)
  func operandBucket(_ path: Int32, _ view: JSONView, _ node: Int) -> UInt64? {
    withUnsafeBytes(of: path) { pathBytes in
      let a = pathBytes.assumingMemoryBound(to: UInt8.self)
      @inline(__always) func find(_ namespace: Namespace, _ b: UnsafeBufferPointer<UInt8>)
        -> UInt64?
      {
        namespaceCounts[Int(namespace.rawValue)] == 0
          ? nil : bucketMap.find(namespace.rawValue, a, b)
      }
      switch view.kind(node) {
      case .string:
        return find(.operandString, view.string(node))
      case .number:
        let value = view.number(node)
        return withUnsafeBytes(of: (value == 0 ? 0 : value).bitPattern) {
          find(.operandNumber, $0.assumingMemoryBound(to: UInt8.self))
        }
      case .null, .false, .true:
        let tag: UInt8 = view.kind(node) == .null ? 0 : view.kind(node) == .false ? 1 : 2
        return withUnsafeBytes(of: tag) {
          find(.operandConstant, $0.assumingMemoryBound(to: UInt8.self))
        }
      case .array, .object:
        return nil
      }
    }
  }
}
