/// The operands of `Eq` (one) or `In` (many), prepared for testing document nodes.
///
/// Literals are split by kind once, so a test is one switch on the node's kind and then a
/// flag, a float compare, a byte-string set lookup or (for arrays and objects) a structural
/// compare.
final class LiteralSet: @unchecked Sendable {
  private let hasNull: Bool
  private let hasTrue: Bool
  private let hasFalse: Bool
  private let numbers: [Double]
  private let numberSet: Set<Double>?
  private let strings: ByteStringSet
  private let compounds: [JSONValue]

  init(_ literals: [JSONValue]) {
    var hasNull = false
    var hasTrue = false
    var hasFalse = false
    var numbers: [Double] = []
    var strings: [[UInt8]] = []
    var compounds: [JSONValue] = []
    for literal in literals {
      switch literal {
      case .null: hasNull = true
      case .bool(let b): if b { hasTrue = true } else { hasFalse = true }
      case .number(let n): numbers.append(n.value == 0 ? 0 : n.value)  // -0 is 0
      case .string(let s): strings.append(Array(s.utf8))
      case .array, .object: compounds.append(literal)
      }
    }
    self.hasNull = hasNull
    self.hasTrue = hasTrue
    self.hasFalse = hasFalse
    self.numbers = numbers
    numberSet = numbers.count > 8 ? Set(numbers) : nil
    self.strings = ByteStringSet(strings)
    self.compounds = compounds
  }

  /// Whether the node is JSON-equal to one of the literals.
  @inline(__always)
  func contains(_ view: JSONView, _ node: Int) -> Bool {
    switch view.kind(node) {
    case .string: return strings.contains(view.string(node))
    case .number:
      let value = view.number(node)
      if let numberSet { return numberSet.contains(value == 0 ? 0 : value) }
      for number in numbers where number == value { return true }
      return false
    case .true: return hasTrue
    case .false: return hasFalse
    case .null: return hasNull
    case .array, .object:
      for literal in compounds where view.equal(node, literal) { return true }
      return false
    }
  }
}
