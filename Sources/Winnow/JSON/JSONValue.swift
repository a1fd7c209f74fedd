/// A JSON value (RFC 8259), as found in filter literals or built in Swift code.
///
/// Equality is JSON equality as the language defines it: numbers compare as 64-bit floats,
/// strings by their Unicode scalars (no normalization), arrays in order, objects as unordered
/// member sets. Parsed documents that are only read by filters use the faster
/// ``JSONDocument`` instead.
public enum JSONValue: Sendable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number, with the lexeme it was written with.
  case number(JSONNumber)
  /// A string, unescaped.
  case string(String)
  /// An array, its elements in order.
  case array([JSONValue])
  /// An object, its members in the order written.
  case object(JSONObject)
}

/// A JSON number: its value as a 64-bit float and the lexeme it was written with.
///
/// Two numbers are equal when their float values are (`1`, `1.0` and `1e0` are equal); the
/// lexeme is kept so that a filter prints its numbers as written.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// The value, rounded to the nearest 64-bit float.
  public let value: Double
  /// The number as written in the source, or a shortest round-trip form for computed values.
  public let lexeme: String

  /// A number with a given lexeme; the caller vouches that `lexeme` is valid JSON for `value`.
  init(value: Double, lexeme: String) {
    self.value = value
    self.lexeme = lexeme
  }

  /// A number from a finite float, printed in its shortest form that reads back exactly.
  public init(_ value: Double) {
    precondition(value.isFinite, "JSON has no NaN or infinity")
    self.value = value
    if value == value.rounded(), abs(value) < 1e15 {
      lexeme = value == 0 && value.sign == .minus ? "-0" : String(Int64(value))
    } else {
      lexeme = "\(value)"
    }
  }

  /// A number from an integer.
  public init(_ value: Int) {
    self.value = Double(value)
    self.lexeme = String(value)
  }

  public var description: String { lexeme }

  public static func == (a: JSONNumber, b: JSONNumber) -> Bool { a.value == b.value }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(value)  // Double's hash already agrees for 0 and -0
  }
}

/// A JSON object: members in the order they were written, each key once.
///
/// A key written twice keeps its first place and its last value, as in the canonical form.
public struct JSONObject: Sendable {
  /// The members, in source order, with distinct keys.
  public private(set) var members: [(key: String, value: JSONValue)]

  /// An empty object.
  public init() { members = [] }

  /// An object from members; a repeated key keeps its first place and its last value.
  public init(_ members: some Sequence<(key: String, value: JSONValue)>) {
    self.members = []
    self.members.reserveCapacity(members.underestimatedCount)
    // Where each key stands, by its UTF-8 bytes: linear in the number of members.
    var places: [UTF8Key: Int] = [:]
    for (key, value) in members {
      if let place = places[UTF8Key(key)] {
        self.members[place].value = value
      } else {
        places[UTF8Key(key)] = self.members.count
        self.members.append((key, value))
      }
    }
  }

  /// The number of members.
  public var count: Int { members.count }

  /// The value of the member named `key` (compared by UTF-8 bytes, without normalization).
  public subscript(key: String) -> JSONValue? {
    get { index(of: key).map { members[$0].value } }
    set {
      if let i = index(of: key) {
        if let newValue { members[i].value = newValue } else { members.remove(at: i) }
      } else if let newValue {
        members.append((key, newValue))
      }
    }
  }

  private func index(of key: String) -> Int? {
    members.firstIndex { $0.key.utf8.elementsEqual(key.utf8) }
  }
}

/// A string compared and hashed by its UTF-8 bytes, as JSON member names are (Swift's own
/// `String` equality would merge canonically equivalent names).
struct UTF8Key: Hashable {
  let string: String
  init(_ string: String) { self.string = string }
  static func == (a: UTF8Key, b: UTF8Key) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }
  func hash(into hasher: inout Hasher) { hasher.combineUTF8(string) }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(nilLiteral: ()) { self = .null }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
  public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
  }
}

extension JSONValue {
  /// The member `key` of an object, or nil for a missing key or a value that is not an object.
  public subscript(key: String) -> JSONValue? {
    if case .object(let object) = self { return object[key] }
    return nil
  }

  /// The name of the value's kind, as used in messages: `null`, `boolean`, `number`, ...
  public var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "boolean"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }
}
