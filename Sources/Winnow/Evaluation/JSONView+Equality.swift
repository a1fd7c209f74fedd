// JSON equality (SPEC section 4) between nodes of a parsed document, and between a node and a
// literal. Objects may repeat keys in a document; the last occurrence is the member's value.

extension JSONView {
  /// Whether two nodes (possibly of different documents viewed alike) are JSON-equal.
  func equal(_ a: Int, _ b: Int) -> Bool {
    let kind = self.kind(a)
    guard kind == self.kind(b) else { return false }
    switch kind {
    case .null, .true, .false: return true
    case .number: return number(a) == number(b)
    case .string: return bytesEqual(string(a), string(b))
    case .array:
      guard count(a) == count(b) else { return false }
      var x = a + 2
      var y = b + 2
      let end = skip(a)
      while x < end {
        guard equal(x, y) else { return false }
        x = skip(x)
        y = skip(y)
      }
      return true
    case .object:
      return distinctMembers(a) == distinctMembers(b)
        && allLastMembers(of: a) { key, value in member(b, key).map { equal(value, $0) } ?? false }
    }
  }

  /// Whether a node is JSON-equal to a literal.
  func equal(_ node: Int, _ literal: JSONValue) -> Bool {
    switch (kind(node), literal) {
    case (.null, .null): return true
    case (.true, .bool(let b)): return b
    case (.false, .bool(let b)): return !b
    case (.number, .number(let n)): return number(node) == n.value
    case (.string, .string(var s)): return s.withUTF8 { bytesEqual(string(node), $0) }
    case (.array, .array(let elements)):
      guard count(node) == elements.count else { return false }
      var child = node + 2
      for element in elements {
        guard equal(child, element) else { return false }
        child = skip(child)
      }
      return true
    case (.object, .object(let object)):
      return distinctMembers(node) == object.count
        && object.members.allSatisfy { key, value in
          var key = key
          return key.withUTF8 { member(node, $0) }.map { equal($0, value) } ?? false
        }
    default: return false
    }
  }

  /// Calls `body` with each distinct key of an object and its value (the last occurrence),
  /// stopping at the first false; returns whether all were true.
  private func allLastMembers(
    of object: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Bool
  ) -> Bool {
    var node = object + 2
    let end = skip(object)
    while node < end {
      let key = string(node)
      if member(object, key) == node + 2, !body(key, node + 2) { return false }
      node = skip(node + 2)
    }
    return true
  }

  /// The number of distinct keys of an object.
  private func distinctMembers(_ object: Int) -> Int {
    var distinct = 0
    _ = allLastMembers(of: object) { _, _ in
      distinct += 1
      return true
    }
    return distinct
  }
}
