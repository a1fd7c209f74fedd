/// Where each byte of a decoded JSON string literal was written in the source, so that an error
/// found in the decoded text (a regular expression's) can point at the filter text.
struct StringLiteralOffsets {
  /// For each decoded byte, the source offset of the character or escape that produced it,
  /// then one more entry: the offset of the closing quote.
  private(set) var offsets: [Int] = []

  /// Maps the string literal `literal`: a valid JSON string, quotes included, as the JSON parser
  /// accepted it.
  ///
  /// Its indices are offsets in the source.
  init(_ literal: Slice<UnsafeBufferPointer<UInt8>>) {
    let close = literal.endIndex - 1
    var i = literal.startIndex + 1
    while i < close {
      guard literal[i] == UInt8(ascii: "\\") else {
        offsets.append(i)  // a raw byte decodes to itself
        i += 1
        continue
      }
      guard literal[i + 1] == UInt8(ascii: "u") else {
        offsets.append(i)  // `\n`, `\"`, ...: one byte
        i += 2
        continue
      }
      let unit = StringLiteralOffsets.hex4(literal, at: i + 2)
      if (0xD800..<0xDC00).contains(unit), i + 11 < close, literal[i + 6] == UInt8(ascii: "\\"),
        literal[i + 7] == UInt8(ascii: "u"),
        (0xDC00..<0xE000).contains(StringLiteralOffsets.hex4(literal, at: i + 8))
      {
        offsets.append(contentsOf: repeatElement(i, count: 4))  // a surrogate pair: 4 bytes
        i += 12
        continue
      }
      // A lone surrogate reads as U+FFFD, 3 bytes.
      let scalar = (0xD800..<0xE000).contains(unit) ? 0xFFFD : unit
      let length = scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : 3
      offsets.append(contentsOf: repeatElement(i, count: length))
      i += 6
    }
    offsets.append(close)
  }

  /// The source offset of the decoded byte at `offset` (the closing quote for the end).
  func sourceOffset(ofDecoded offset: Int) -> Int {
    offsets[min(max(offset, 0), offsets.count - 1)]
  }

  private static func hex4(_ literal: Slice<UnsafeBufferPointer<UInt8>>, at start: Int) -> UInt32 {
    var value: UInt32 = 0
    for k in start..<start + 4 {
      // The literal was accepted by the JSON parser: four hex digits follow `\u`.
      value = value << 4 | UInt32(ByteClass.hexValue(literal[k]) ?? 0)
    }
    return value
  }
}
