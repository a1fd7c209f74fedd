/// A string that is equal to another only when their UTF-8 bytes are: the identity of
/// canonical texts in the index. (Swift's `String ==` is Unicode canonical equivalence, under
/// which `Eq("é")` and `Eq("e\u{301}")` would be one filter; SPEC section 4 compares bytes.)
///
/// Hashed with the index's word-at-a-time hash, so a lookup costs about one pass over the bytes.
struct ExactText: Hashable {
  let text: String

  init(_ text: String) {
    self.text = text
  }

  static func == (a: ExactText, b: ExactText) -> Bool {
    var a = a.text
    var b = b.text
    return a.withUTF8 { a in b.withUTF8 { b in bytesEqual(a, b) } }
  }

  func hash(into hasher: inout Hasher) {
    var text = text
    hasher.combine(
      text.withUTF8 { ByteKeyMap.hash(0, $0, UnsafeBufferPointer(start: nil, count: 0)) })
  }
}
