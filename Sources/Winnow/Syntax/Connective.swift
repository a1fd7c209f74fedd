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
