#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The members of an event that matching needs, read in one pass over the top-level object.
///
/// `Type`, `Action`, `Key`, `Time` and `Principal` must be strings; missing or `null` reads as
/// `""`. `Object` and `Original` that are missing or `null` are absent (-1).
struct EventFields: Sendable, Hashable {
  /// The string nodes of `Type`, `Action`, `Key`, `Time` and `Principal`, or -1 when missing
  /// or null.
  var type = -1
  var action = -1
  var key = -1
  var time = -1
  var principal = -1
  /// The `Object` and `Original` nodes, or -1 when missing or null.
  var object = -1
  var original = -1

  /// Reads the fields of the event at the root of `view`, or throws when the root is not an
  /// object or a string member holds another kind of value.
  init(_ view: JSONView) throws(Diagnostic) {
    guard view.kind(0) == .object else {
      throw Diagnostic(.invalidValue, "an event must be a JSON object", at: view.firstByteOffset)
    }
    // A repeated member's last occurrence is its value, so the kinds are checked after the
    // pass, on the key nodes that won.
    let end = view.skip(0)
    var node = 2
    while node < end {
      let name = view.string(node)
      if name.equals("Object") {
        object = node
      } else if name.equals("Original") {
        original = node
      } else if name.equals("Type") {
        type = node
      } else if name.equals("Action") {
        action = node
      } else if name.equals("Key") {
        key = node
      } else if name.equals("Time") {
        time = node
      } else if name.equals("Principal") {
        principal = node
      }
      node = view.skip(node + 2)
    }
    for keyNode in [type, action, key, time, principal] where keyNode >= 0 {
      let kind = view.kind(keyNode + 2)
      guard kind == .string || kind == .null else {
        throw Diagnostic(
          .invalidValue,
          "the event member '\(String(decoding: view.string(keyNode), as: UTF8.self))' must be a string",
          at: view.valueOffset(ofMemberKey: keyNode))
      }
    }
    type = EventFields.value(of: type, in: view)
    action = EventFields.value(of: action, in: view)
    key = EventFields.value(of: key, in: view)
    time = EventFields.value(of: time, in: view)
    principal = EventFields.value(of: principal, in: view)
    object = EventFields.value(of: object, in: view)
    original = EventFields.value(of: original, in: view)
  }

  /// The value node of a member whose key node is `keyNode`, or -1 when it is missing or null.
  private static func value(of keyNode: Int, in view: JSONView) -> Int {
    guard keyNode >= 0, view.kind(keyNode + 2) != .null else { return -1 }
    return keyNode + 2
  }
}

extension EventFields {
  /// The members that must be strings and read as `""` when missing or null.
  static let stringMemberNames: [[UInt8]] = ["Time", "Type", "Action", "Key", "Principal"].map {
    Array($0.utf8)
  }
}

extension JSONView {
  /// The bytes of a string node, or no bytes for -1 (a missing or null member).
  @inline(__always)
  func text(_ node: Int) -> UnsafeBufferPointer<UInt8> {
    node < 0 ? UnsafeBufferPointer(start: nil, count: 0) : string(node)
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Whether these bytes spell `text` exactly.
  @inline(__always)
  func equals(_ text: StaticString) -> Bool {
    count == text.utf8CodeUnitCount
      && (count == 0 || memcmp(baseAddress!, text.utf8Start, count) == 0)
  }
}

extension JSONView {
  /// The source offset of the first non-whitespace byte (where the root value starts).
  var firstByteOffset: Int {
    var i = 0
    while i < sourceCount, ByteClass.isWhitespace(source[i]) { i += 1 }
    return i
  }

  /// The source offset of the value of the object member whose key node is `key`, found by
  /// reading past the key's closing quote and the colon; 0 when the key was decoded.
  func valueOffset(ofMemberKey key: Int) -> Int {
    let word = tape[key]
    guard word & JSONTape.decodedFlag == 0 else { return 0 }
    var i = Int(word & JSONTape.offsetMask) + string(key).count + 1
    while i < sourceCount, ByteClass.isWhitespace(source[i]) || source[i] == UInt8(ascii: ":") {
      i += 1
    }
    return i
  }
}
