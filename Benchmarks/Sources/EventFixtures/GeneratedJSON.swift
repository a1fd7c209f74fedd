/// The JSON values the generator builds: Python's dicts keep insertion order, and assigning
/// an existing key keeps its place, so objects are ordered member lists.
///
/// This is fixture plumbing, independent of Winnow's own JSON types on purpose: the fixtures
/// must not change when the library does.
enum GeneratedJSON {
  case null
  case bool(Bool)
  case int(Int)
  case string(String)
  /// Text written as is (the generator's one hand-escaped string).
  case raw(String)
  case array([GeneratedJSON])
  case object(Members)

  /// An insertion-ordered object, with Python dict semantics.
  struct Members {
    var keys: [String] = []
    var values: [GeneratedJSON] = []

    init() {}

    init(_ pairs: KeyValuePairs<String, GeneratedJSON>) {
      for (key, value) in pairs { self[key] = value }
    }

    subscript(key: String) -> GeneratedJSON? {
      get { keys.firstIndex(of: key).map { values[$0] } }
      set {
        if let i = keys.firstIndex(of: key) {
          if let newValue {
            values[i] = newValue
          } else {
            keys.remove(at: i)
            values.remove(at: i)
          }
        } else if let newValue {
          keys.append(key)
          values.append(newValue)
        }
      }
    }

    func contains(_ key: String) -> Bool { keys.contains(key) }

    /// `dict.update`.
    mutating func update(_ pairs: KeyValuePairs<String, GeneratedJSON>) {
      for (key, value) in pairs { self[key] = value }
    }
  }

  var members: Members {
    get {
      guard case .object(let members) = self else { preconditionFailure("not an object") }
      return members
    }
    set { self = .object(newValue) }
  }

  var stringValue: String {
    guard case .string(let s) = self else { preconditionFailure("not a string") }
    return s
  }

  var intValue: Int {
    guard case .int(let i) = self else { preconditionFailure("not an int") }
    return i
  }
}

extension GeneratedJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
  init(stringLiteral value: String) { self = .string(value) }
  init(integerLiteral value: Int) { self = .int(value) }
  init(booleanLiteral value: Bool) { self = .bool(value) }
  init(arrayLiteral elements: GeneratedJSON...) { self = .array(elements) }
}

extension GeneratedJSON {
  /// Appends the value as Python's `json.dumps(ensure_ascii=False, separators=(",", ":"))`
  /// writes it.
  func write(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .int(let i): out.append(contentsOf: String(i).utf8)
    case .string(let s): GeneratedJSON.writeString(s, to: &out)
    case .raw(let s): out.append(contentsOf: s.utf8)
    case .array(let elements):
      out.append(UInt8(ascii: "["))
      for (i, element) in elements.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        element.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for i in members.keys.indices {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        GeneratedJSON.writeString(members.keys[i], to: &out)
        out.append(UInt8(ascii: ":"))
        members.values[i].write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  private static func writeString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
      case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
      case 0..<0x20:
        out.append(contentsOf: "\\u00".utf8)
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0xF)])
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
