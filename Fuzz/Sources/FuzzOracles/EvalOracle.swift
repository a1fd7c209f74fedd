// `ReferenceInterpreter` has `package` access: reached through `@testable import` (see RegexOracle).
@testable import Winnow

/// The oracle of FuzzEval: the compiled filter and ``ReferenceInterpreter`` agree.
///
/// The fuzz bytes are read as a stream of choices (``FuzzBytes``) by ``EvalCaseGenerator``,
/// which writes a JSON document as text (escapes, odd number lexemes, duplicate keys, invalid
/// UTF-8, event-shaped objects) and builds a term over a small vocabulary of fields and
/// literals, so that tests hit as often as they miss. Then:
///
/// - the generated text parses (the generator writes only valid JSON);
/// - `CompiledFilter(Filter(term)).matches` on the parsed document, on a document printed from its
///   value and on the value itself equals `ReferenceInterpreter.evaluate(asEvent: false)`;
/// - when the document reads as an ``Event``, `matches(event)` equals the reference under the
///   event rules;
/// - `explain` (the observing plan) holds exactly when `matches` does, under both rules;
/// - the term prints to canonical text that parses back to an equal filter.
///
/// Returns nil when every check holds, or a message naming the first that failed.
public func checkEvaluation(fuzz bytes: [UInt8]) -> String? {
  var input = FuzzBytes(bytes)
  let generator = EvalCaseGenerator()
  let text = generator.document(&input)
  let term = generator.term(&input, depth: 1)
  let document: JSONDocument
  do {
    document = try JSONDocument(parsing: text)
  } catch {
    return "generated JSON rejected (\(error.message) at \(error.offset)): "
      + String(decoding: text, as: UTF8.self)
  }
  let value = document.value
  let compiled = CompiledFilter(Filter(term))
  let context = { "\(term.canonicalText) on \(value.minified)" }
  let plain = ReferenceInterpreter.evaluate(term, on: value, asEvent: false)
  guard compiled.matches(document) == plain else {
    return "plain rules: reference says \(plain) for \(context())"
  }
  guard compiled.matches(JSONDocument(value)) == plain else {
    return "plain rules on the reprinted document: reference says \(plain) for \(context())"
  }
  guard compiled.matches(value) == plain else {
    return "matches(value): reference says \(plain) for \(context())"
  }
  guard compiled.explain(document).held == plain else {
    return "explain, plain rules: reference says \(plain) for \(context())"
  }
  if let event = try? Event(document: document) {
    let asEvent = ReferenceInterpreter.evaluate(term, on: value, asEvent: true)
    guard compiled.matches(event) == asEvent else {
      return "event rules: reference says \(asEvent) for \(context())"
    }
    guard compiled.explain(event).held == asEvent else {
      return "explain, event rules: reference says \(asEvent) for \(context())"
    }
  }
  let filter = Filter(term)
  guard !term.hasEmptyConnective else { return nil }  // `And()` has no text form
  guard let reparsed = try? Filter(parsing: filter.canonicalText), reparsed == filter else {
    return "the canonical text of a built term does not parse back: \(filter.canonicalText)"
  }
  return nil
}

/// Draws (document, term) pairs from the fuzz bytes over small vocabularies.
public struct EvalCaseGenerator {
  /// JSON strings as written in a text; several spell the same string differently.
  static let strings: [[UInt8]] =
    [
      #""""#, #""x""#, #""\u0078""#, #""é""#, #""\u00e9""#, #""\u00E9""#, #""e\u0301""#,
      "\"e\u{301}\"", #""😀""#, #""\ud83d\ude00""#, #""\ud800""#, #""\ufffd""#, "\"\u{FFFD}\"",
      #""a\"b""#, #""a\u0022b""#, #""\n""#, #""\u000a""#, #""\/""#, #""/""#, #""discover""#,
      #""disc\u006fver""#, #""machines""#, #""jobs""#, #""node-1.lab""#, #""\u0000""#, #""a""#,
      #""Stage""#, #""\\""#, #""a.b""#, #""~""#,
    ].map { Array($0.utf8) } + [
      [0x22, 0xFF, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0xC3, 0x22],
    ]

  /// Number lexemes, several equal as floats, some at the edges of the fast path.
  static let numbers: [String] = [
    "0", "-0", "0.0", "1", "1.0", "1e0", "10E-1", "1.5", "-1", "1e-400", "0.1", "100", "1E+2",
    "9007199254740993", "9007199254740992", "123456789012345678901234567890", "5e-324",
    "1.7976931348623157e308", "0.30000000000000004", "3e-1", "1e22", "1e23",
    "10000000000000000000000", "4.35", "435e-2", "0.000001", "1e-6",
  ]

  /// Member names as written in JSON text (`\u0061` duplicates `a`).
  static let keys: [[UInt8]] =
    [
      #""a""#, #""b""#, #""Stage""#, #""Name""#, #""0""#, #""1""#, #""01""#, #""a.b""#, #""é""#,
      #""\u00e9""#, #""~""#, #""/""#, #""""#, #""Object""#, #""Original""#, #""Type""#, #""Key""#,
      #""Params""#, #""\u0061""#, #""x y""#,
    ].map { Array($0.utf8) }

  /// Decoded step names for fields.
  static let steps = [
    "a", "b", "Stage", "Name", "0", "1", "01", "a.b", "é", "~", "/", "", "-", "Params", "x y",
  ]

  /// RE2 patterns for `Re` (compiled through the filter parser, which owns the regex front end).
  static let patterns = [
    "x", "^x$", "é", ".", "^$", "(?i)X", "a|b", "\\d+", "^disc", "ver", "[[:alpha:]]+", "\\pL",
    "^.*$", "(?s).", "\\w", "^(a|)$", "\\.", "[^a]",
  ]

  public init() {}

  // MARK: - Documents

  /// A JSON text: an event-shaped object half of the time, any value otherwise.
  public func document(_ input: inout FuzzBytes) -> [UInt8] {
    var out: [UInt8] = []
    if input.chance(50) {
      event(&input, to: &out)
    } else {
      value(&input, depth: 0, to: &out)
    }
    return out
  }

  func event(_ input: inout FuzzBytes, to out: inout [UInt8]) {
    enum Member: Equatable {
      case type, object, original
      case other([UInt8])
    }
    var members: [Member] = []
    if input.chance(80) { members.append(.type) }
    if input.chance(80) { members.append(.object) }
    if input.chance(60) { members.append(.original) }
    for _ in 0..<input.below(4) { members.append(.other(input.pick(EvalCaseGenerator.keys))) }
    out.append(UInt8(ascii: "{"))
    for (n, member) in members.enumerated() {
      if n > 0 { out.append(UInt8(ascii: ",")) }
      space(&input, to: &out)
      switch member {
      case .type:
        out += Array(#""Type":"#.utf8)
        out += input.pick([#""machines""#, #""jobs""#, "null", "1"].map { Array($0.utf8) })
      case .object, .original:
        out += Array((member == .object ? #""Object":"# : #""Original":"#).utf8)
        if input.chance(10) { out += Array("null".utf8) } else { value(&input, depth: 0, to: &out) }
      case .other(let key):
        out += key
        out.append(UInt8(ascii: ":"))
        space(&input, to: &out)
        value(&input, depth: 1, to: &out)
      }
    }
    out.append(UInt8(ascii: "}"))
  }

  func space(_ input: inout FuzzBytes, to out: inout [UInt8]) {
    if input.chance(10) { out += input.pick([[0x20], [0x0A], [0x09, 0x0D, 0x0A]]) }
  }

  func value(_ input: inout FuzzBytes, depth: Int, to out: inout [UInt8]) {
    switch input.below(depth >= 3 ? 6 : 9) {
    case 0: out += Array("null".utf8)
    case 1: out += Array((input.chance(50) ? "true" : "false").utf8)
    case 2, 3: out += Array(input.pick(EvalCaseGenerator.numbers).utf8)
    case 4, 5: out += input.pick(EvalCaseGenerator.strings)
    case 6:
      out.append(UInt8(ascii: "["))
      for n in 0..<input.below(4) {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        space(&input, to: &out)
        value(&input, depth: depth + 1, to: &out)
      }
      out.append(UInt8(ascii: "]"))
    default:
      out.append(UInt8(ascii: "{"))
      for n in 0..<input.below(5) {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        out += input.pick(EvalCaseGenerator.keys)
        space(&input, to: &out)
        out.append(UInt8(ascii: ":"))
        value(&input, depth: depth + 1, to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// A literal for a test: a small value parsed from generated text.
  func literal(_ input: inout FuzzBytes) -> JSONValue {
    var text: [UInt8] = []
    value(&input, depth: 2, to: &text)
    return try! JSONValue(parsing: text)  // the generator writes valid JSON only
  }

  // MARK: - Terms

  /// A field in one of the three forms.
  func path(_ input: inout FuzzBytes) -> FieldPath {
    let steps = (0...input.below(3)).map { _ in input.pick(EvalCaseGenerator.steps) }
    var text: String
    switch input.below(4) {
    case 0:
      text = steps.joined(separator: ".")
    case 1:
      text = "/" + steps.map(EvalCaseGenerator.escapePointer).joined(separator: "/")
    case 2:
      let pointer = "/" + steps.map(EvalCaseGenerator.escapePointer).joined(separator: "/")
      text = "#"
      for b in pointer.utf8 {
        // `%` and bytes that end a field in filter text must be encoded; others may be.
        let must = b == UInt8(ascii: "%") || b <= 0x20 || b >= 0x80
        if must || input.chance(20) {
          text += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 15, radix: 16)
        } else {
          text += String(UnicodeScalar(b))
        }
      }
    default:
      text = input.chance(50) ? "#" : "/"
    }
    // A dotted field with an empty step or a `.` inside a step is invalid: use a pointer.
    if let path = try? FieldPath(parsing: text), !text.contains(" ") { return path }
    return try! FieldPath(
      parsing: "/"
        + steps.map(EvalCaseGenerator.escapePointer).joined(separator: "/").replacingSpaces())
  }

  static func escapePointer(_ step: String) -> String {
    var out = ""
    for c in step {
      switch c {
      case "~": out += "~0"
      case "/": out += "~1"
      default: out.append(c)
      }
    }
    return out
  }

  /// The `Re` tests of ``patterns``, compiled once (through the filter parser, which owns the
  /// regex front end): compiling per input would dominate the run time.
  static let patternTests: [FieldTest] = patterns.map { source in
    let filter = try! Filter(parsing: "a=Re(\(JSONValue.string(source).minified))")
    guard case .field(_, let test) = filter.term else { fatalError("Re parsed to \(filter.term)") }
    return test
  }

  func pattern(_ input: inout FuzzBytes) -> FieldTest {
    input.pick(EvalCaseGenerator.patternTests)
  }

  /// 1 to 3 operands, rarely none.
  func operandCount(_ input: inout FuzzBytes) -> Int {
    let b = input.byte()
    return b == 0xFF ? 0 : 1 + Int(b) % 3
  }

  public func term(_ input: inout FuzzBytes, depth: Int) -> Term {
    switch depth >= 4 ? 3 : input.below(7) {
    // Terms built in code may have empty And/Or (the grammar has none): true and false.
    case 0: return .and((0..<operandCount(&input)).map { _ in term(&input, depth: depth + 1) })
    case 1: return .or((0..<operandCount(&input)).map { _ in term(&input, depth: depth + 1) })
    case 2: return .not(term(&input, depth: depth + 1))
    default:
      let field = path(&input)
      let test: FieldTest
      switch input.below(8) {
      case 0: test = .exists
      case 1: test = .eq(literal(&input))
      case 2: test = .ne(literal(&input))
      case 3: test = .in((0...input.below(12)).map { _ in literal(&input) })
      case 4: test = .nin((0...input.below(4)).map { _ in literal(&input) })
      case 5: test = pattern(&input)
      default:
        let from = input.chance(50) ? literal(&input) : nil
        let to = input.chance(50) ? literal(&input) : nil
        test = .changed(from: from, to: to)
      }
      return .field(field, test)
    }
  }
}

extension String {
  /// Spaces end a field in filter text: a pointer spells them `%20` only in the `#` form, so
  /// the generator drops them from the other forms.
  fileprivate func replacingSpaces() -> String {
    String(self.map { $0 == " " ? "_" : $0 })
  }
}

extension Term {
  /// Whether an `And` or `Or` somewhere in the term has no operands.
  var hasEmptyConnective: Bool {
    switch self {
    case .and(let terms), .or(let terms): terms.isEmpty || terms.contains { $0.hasEmptyConnective }
    case .not(let term): term.hasEmptyConnective
    case .field: false
    }
  }
}
