/// Decoding of UTF-8 text already known to be well-formed (see ``UTF8Validation``): the one
/// scalar decoder of the specifier parser and the regex front end.
enum UTF8Decoding {
  /// The value of the scalar whose well-formed sequence starts at `i`, and the sequence's
  /// length in bytes.
  @inline(__always)
  static func scalar<Bytes: RandomAccessCollection<UInt8>>(in bytes: Bytes, at i: Int)
    -> (value: UInt32, length: Int) where Bytes.Index == Int
  {
    let lead = UInt32(bytes[i])
    @inline(__always) func low(_ k: Int) -> UInt32 { UInt32(bytes[i + k] & 0x3F) }
    switch lead {
    case 0..<0x80: return (lead, 1)
    case 0xC0..<0xE0: return ((lead & 0x1F) << 6 | low(1), 2)
    case 0xE0..<0xF0: return ((lead & 0x0F) << 12 | low(1) << 6 | low(2), 3)
    default: return ((lead & 0x07) << 18 | low(1) << 12 | low(2) << 6 | low(3), 4)
    }
  }
}
