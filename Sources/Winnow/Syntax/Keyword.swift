/// A combinator name, read at the start of a term when a `(` follows it.
enum Connective: String, CaseIterable, Sendable {
  case and = "And"
  case or = "Or"
  case not = "Not"

  /// The connective spelled exactly (case-sensitively) by `bytes`, compared without building
  /// a String.
  init?(bytes: Slice<UnsafeBufferPointer<UInt8>>) {
    switch bytes.count {
    case 2 where Keyword.matches(bytes, "Or"): self = .or
    case 3 where Keyword.matches(bytes, "And"): self = .and
    case 3 where Keyword.matches(bytes, "Not"): self = .not
    default: return nil
    }
  }
}

/// A test name, read after the `=` of a field term.
enum TestName: String, CaseIterable, Sendable {
  case exists = "Exists"
  case eq = "Eq"
  case ne = "Ne"
  case re = "Re"
  case `in` = "In"
  case nin = "Nin"
  case changed = "Changed"

  /// The test spelled exactly (case-sensitively) by `bytes`.
  init?(bytes: Slice<UnsafeBufferPointer<UInt8>>) {
    switch bytes.count {
    case 2 where Keyword.matches(bytes, "Eq"): self = .eq
    case 2 where Keyword.matches(bytes, "Ne"): self = .ne
    case 2 where Keyword.matches(bytes, "Re"): self = .re
    case 2 where Keyword.matches(bytes, "In"): self = .in
    case 3 where Keyword.matches(bytes, "Nin"): self = .nin
    case 6 where Keyword.matches(bytes, "Exists"): self = .exists
    case 7 where Keyword.matches(bytes, "Changed"): self = .changed
    default: return nil
    }
  }
}

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
