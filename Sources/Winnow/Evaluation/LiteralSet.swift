/// The operands of `Eq` (one) or `In` (many), prepared for testing document nodes.
///
/// Literals are split by kind once, so a test is one switch on the node's kind and then a
/// flag, a float compare, a byte-string set lookup or (for arrays and objects) a structural
/// compare. The memory belongs to an ``EvaluationArena``.
struct LiteralSet: @unchecked Sendable {
  private let hasNull: Bool
  private let hasTrue: Bool
  private let hasFalse: Bool
  /// Distinct float values, sorted, so many numbers cost a binary search.
  private let numbers: UnsafeMutablePointer<Double>
  private let numberCount: Int
  private let strings: ByteStringSet
  private let compounds: UnsafeMutablePointer<JSONValue>
  private let compoundCount: Int

  init(_ literals: [JSONValue], in arena: EvaluationArena) {
    var hasNull = false
    var hasTrue = false
    var hasFalse = false
    var numbers: Set<Double> = []
    var strings: [[UInt8]] = []
    var compounds: [JSONValue] = []
    for literal in literals {
      switch literal {
      case .null: hasNull = true
      case .bool(let b): if b { hasTrue = true } else { hasFalse = true }
      case .number(let n): numbers.insert(n.value == 0 ? 0 : n.value)  // -0 is 0
      case .string(let s): strings.append(Array(s.utf8))
      case .array, .object: compounds.append(literal)
      }
    }
    self.hasNull = hasNull
    self.hasTrue = hasTrue
    self.hasFalse = hasFalse
    self.numbers = arena.copy(numbers.sorted())
    numberCount = numbers.count
    self.strings = ByteStringSet(strings, in: arena)
    self.compounds = arena.copy(compounds)
    compoundCount = compounds.count
  }

  /// Whether the node is JSON-equal to one of the literals.
  @inline(__always)
  func contains(_ view: JSONView, _ node: Int) -> Bool {
    switch view.kind(node) {
    case .string: return strings.contains(view.string(node))
    case .number: return containsNumber(view.number(node))
    case .true: return hasTrue
    case .false: return hasFalse
    case .null: return hasNull
    case .array, .object:
      for i in 0..<compoundCount where view.equal(node, compounds[i]) { return true }
      return false
    }
  }

  @inline(__always)
  private func containsNumber(_ value: Double) -> Bool {
    var low = 0
    var high = numberCount
    while low < high {
      let middle = (low + high) / 2
      if numbers[middle] < value { low = middle + 1 } else { high = middle }
    }
    return low < numberCount && numbers[low] == value
  }
}
