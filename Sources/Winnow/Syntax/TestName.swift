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
