// JSON equality (SPEC section 4) and a hash that agrees with it.

extension JSONValue: Hashable {
  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x.value == y.value
    case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
    case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(==)
    case (.object(let x), .object(let y)): return x == y
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0 as UInt8)
    case .bool(let b): hasher.combine(b ? 2 as UInt8 : 1)
    case .number(let n):
      hasher.combine(3 as UInt8)
      hasher.combine(n.value)
    case .string(let s):
      hasher.combine(4 as UInt8)
      hasher.combineUTF8(s)
    case .array(let elements):
      hasher.combine(5 as UInt8)
      hasher.combine(elements.count)
      for element in elements { hasher.combine(element) }
    case .object(let object):
      hasher.combine(6 as UInt8)
      hasher.combine(object)
    }
  }
}

extension JSONObject: Hashable {
  /// Objects are equal when they have the same keys with equal values, in any order.
  public static func == (a: JSONObject, b: JSONObject) -> Bool {
    guard a.count == b.count else { return false }
    for (key, value) in a.members {
      guard let other = b[key], other == value else { return false }
    }
    return true
  }

  /// Order-independent: the members' own hashes are summed.
  public func hash(into hasher: inout Hasher) {
    var sum = 0
    for (key, value) in members {
      var member = Hasher()
      member.combineUTF8(key)
      member.combine(value)
      sum &+= member.finalize()
    }
    hasher.combine(count)
    hasher.combine(sum)
  }
}

extension Hasher {
  /// Hashes a string's UTF-8 bytes, not its canonical-equivalence class as `String` does.
  mutating func combineUTF8(_ string: String) {
    var copy = string
    copy.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    combine(string.utf8.count)
  }
}
