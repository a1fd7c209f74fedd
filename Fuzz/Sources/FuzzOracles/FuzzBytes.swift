/// Fuzz input consumed as a stream of choices: each call takes the next byte, and an exhausted
/// input reads as zeros, so every byte string decodes to something and short inputs to small
/// things.
public struct FuzzBytes {
  let bytes: [UInt8]
  var position = 0

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  public var isExhausted: Bool { position >= bytes.count }

  /// The next byte, or 0 past the end.
  public mutating func byte() -> UInt8 {
    guard position < bytes.count else { return 0 }
    defer { position += 1 }
    return bytes[position]
  }

  /// A choice in `0..<upper`.
  public mutating func below(_ upper: Int) -> Int {
    upper <= 1 ? 0 : Int(byte()) % upper
  }

  /// One element of a non-empty array.
  public mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

  /// True with probability about `percent` percent.
  public mutating func chance(_ percent: Int) -> Bool { Int(byte()) * 100 < percent * 256 }
}
