extension JSONView {
  /// The node at `node` as a tree of ``JSONValue``.
  func value(at node: Int) -> JSONValue {
    switch kind(node) {
    case .null: return .null
    case .false: return .bool(false)
    case .true: return .bool(true)
    case .number:
      let start = Int(tape[node] & JSONTape.payloadMask)
      let end = numberLexemeEnd(from: start)
      let lexeme = String(
        decoding: UnsafeBufferPointer(start: source + start, count: end - start), as: UTF8.self)
      return .number(JSONNumber(value: number(node), lexeme: lexeme))
    case .string:
      return .string(String(decoding: string(node), as: UTF8.self))
    case .array:
      var elements: [JSONValue] = []
      elements.reserveCapacity(count(node))
      var child = node + 2
      let end = skip(node)
      while child < end {
        elements.append(value(at: child))
        child = skip(child)
      }
      return .array(elements)
    case .object:
      var members: [(key: String, value: JSONValue)] = []
      members.reserveCapacity(count(node))
      var child = node + 2
      let end = skip(node)
      while child < end {
        members.append((String(decoding: string(child), as: UTF8.self), value(at: child + 2)))
        child = skip(child + 2)
      }
      return .object(JSONObject(members))
    }
  }
}
