/// Byte comparison of keywords.
enum Keyword {
  /// Whether `bytes` are exactly the ASCII bytes of `word` (whose length the caller checked).
  @inline(__always)
  static func matches(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ word: StaticString) -> Bool {
    let p = word.utf8Start
    var k = 0
    for b in bytes {
      guard b == p[k] else { return false }
      k += 1
    }
    return true
  }
}
