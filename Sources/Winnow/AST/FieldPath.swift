/// The field of a `field=test` term: where in a document the test looks.
///
/// Three forms are accepted, and each prints back exactly as written:
/// - dotted: `Object.Params.kernel-console`, literal non-empty segments;
/// - an RFC 6901 JSON pointer: `/Object/Params/change-stage~1map` (`~0` is `~`, `~1` is `/`);
/// - the RFC 6901 URI-fragment form: `#/Object/Params/my%20param` (percent-decoded first;
///   `#` alone is the whole value).
///
/// Each step selects the member with that exact name on an object, or on an array the element
/// at a decimal index written without leading zeros; anything else means the field is missing.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
  /// How a field was written.
  enum Form: Sendable, Hashable {
    /// Dotted: `Object.Params.name`, every character literal.
    case dotted
    /// An RFC 6901 JSON pointer: `/Object/Params/a~1b`.
    case pointer
    /// A URI fragment pointer (RFC 6901 section 6): `#/Object/Params/boot%20order`.
    case fragment
  }

  /// One decoded step: a member name, and the array index it denotes when it is one.
  struct Step: Hashable, Sendable {
    let key: [UInt8]
    let index: Int?

    init(key: [UInt8]) {
      self.key = key
      index = Step.arrayIndex(key)
    }

    /// `0`, `12`: decimal digits without a leading zero; `01`, `-`, `-1`, `+1` are not indices.
    static func arrayIndex(_ key: [UInt8]) -> Int? {
      guard !key.isEmpty, key.count <= 18, key.count == 1 || key[0] != UInt8(ascii: "0") else {
        return nil
      }
      var value = 0
      for b in key {
        guard b &- UInt8(ascii: "0") < 10 else { return nil }
        value = value * 10 + Int(b - UInt8(ascii: "0"))
      }
      return value
    }
  }

  /// The field exactly as written in the filter.
  public let text: String
  /// Which of the three forms it was written in.
  let form: Form
  let steps: [Step]

  /// Whether the path is exactly one of an event's string members (`Time`, `Type`, `Action`,
  /// `Key`, `Principal`) in any form, which the event rules read as `""` when missing or null.
  var namesEventStringMember: Bool {
    steps.count == 1 && EventFields.stringMemberNames.contains(steps[0].key)
  }

  /// The decoded names of the steps, outermost first (empty for `#`, the whole value).
  var keys: [String] { steps.map { String(decoding: $0.key, as: UTF8.self) } }

  public var description: String { text }

  /// Fields compare as written, byte for byte (`é` and `e` + U+0301 are different members).
  public static func == (a: FieldPath, b: FieldPath) -> Bool {
    a.text.utf8.elementsEqual(b.text.utf8)
  }
  public func hash(into hasher: inout Hasher) { hasher.combineUTF8(text) }

  /// Parses a field; diagnostics carry offsets within `text`.
  public init(parsing text: String) throws(Diagnostic) {
    try self.init(parsing: Array(text.utf8)[...], at: 0)
  }

  /// Parses the field in `bytes`; diagnostics are positioned at `base` plus the offset inside.
  init(parsing bytes: ArraySlice<UInt8>, at base: Int) throws(Diagnostic) {
    let field = Array(bytes)
    text = String(decoding: field, as: UTF8.self)
    if let invalid = field.withUnsafeBufferPointer(UTF8Validation.firstInvalidOffset) {
      throw Diagnostic(.invalidEncoding, "invalid UTF-8 in the field", at: base + invalid)
    }
    switch field.first {
    case UInt8(ascii: "/"):
      form = .pointer
      steps = try FieldPath.pointerSteps(field, offsets: field.indices.map { base + $0 })
    case UInt8(ascii: "#"):
      form = .fragment
      steps = try FieldPath.fragmentSteps(field, at: base)
    default:
      form = .dotted
      steps = try FieldPath.dottedSteps(field, at: base)
    }
  }

  // MARK: - The three forms

  private static func dottedSteps(_ field: [UInt8], at base: Int) throws(Diagnostic) -> [Step] {
    var steps: [Step] = []
    var start = 0
    for (i, b) in field.enumerated() where b == UInt8(ascii: ".") {
      if i == start {
        let message =
          i == 0
          ? "a dotted field must not start with '.'" : "empty name between dots in the field"
        throw Diagnostic(.invalidField, message, at: base + i)
      }
      steps.append(Step(key: Array(field[start..<i])))
      start = i + 1
    }
    guard start < field.count else {
      throw Diagnostic(
        .invalidField, "a dotted field must not end with '.'", at: base + field.count)
    }
    steps.append(Step(key: Array(field[start...])))
    return steps
  }

  /// Splits an RFC 6901 pointer (starting with `/`) into unescaped steps.
  ///
  /// `offsets` gives the source offset of every byte, for errors.
  private static func pointerSteps(_ pointer: [UInt8], offsets: [Int]) throws(Diagnostic)
    -> [Step]
  {
    var steps: [Step] = []
    var key: [UInt8] = []
    var i = 1
    while i <= pointer.count {
      if i == pointer.count || pointer[i] == UInt8(ascii: "/") {
        steps.append(Step(key: key))
        key.removeAll()
      } else if pointer[i] == UInt8(ascii: "~") {
        let next = i + 1 < pointer.count ? pointer[i + 1] : 0
        guard next == UInt8(ascii: "0") || next == UInt8(ascii: "1") else {
          throw Diagnostic(
            .invalidField, "'~' must be followed by '0' or '1' in a JSON pointer", at: offsets[i])
        }
        key.append(next == UInt8(ascii: "0") ? UInt8(ascii: "~") : UInt8(ascii: "/"))
        i += 1
      } else {
        key.append(pointer[i])
      }
      i += 1
    }
    return steps
  }

  /// Percent-decodes a `#` field, then reads the rest as a pointer.
  private static func fragmentSteps(_ field: [UInt8], at base: Int) throws(Diagnostic) -> [Step] {
    var decoded: [UInt8] = []
    var offsets: [Int] = []
    var i = 1
    while i < field.count {
      if field[i] == UInt8(ascii: "%") {
        guard i + 2 < field.count, let high = ByteClass.hexValue(field[i + 1]),
          let low = ByteClass.hexValue(field[i + 2])
        else {
          throw Diagnostic(
            .invalidField, "'%' must be followed by two hexadecimal digits", at: base + i)
        }
        decoded.append(high << 4 | low)
        offsets.append(base + i)
        i += 3
      } else {
        decoded.append(field[i])
        offsets.append(base + i)
        i += 1
      }
    }
    if let invalid = decoded.withUnsafeBufferPointer(UTF8Validation.firstInvalidOffset) {
      throw Diagnostic(
        .invalidField, "the percent-decoded field is not valid UTF-8", at: offsets[invalid])
    }
    guard let first = decoded.first else { return [] }
    guard first == UInt8(ascii: "/") else {
      throw Diagnostic(
        .invalidField, "after '#' a field must continue with '/' (or be '#' alone)", at: base + 1)
    }
    return try pointerSteps(decoded, offsets: offsets)
  }
}

extension FieldPath {
  /// The value at this field in `value`, or nil when the field is missing.
  public func value(in value: JSONValue) -> JSONValue? {
    var current = value
    for step in steps {
      switch current {
      case .object(let object):
        guard let member = object[String(decoding: step.key, as: UTF8.self)] else { return nil }
        current = member
      case .array(let elements):
        guard let index = step.index, index < elements.count else { return nil }
        current = elements[index]
      default:
        return nil
      }
    }
    return current
  }
}
