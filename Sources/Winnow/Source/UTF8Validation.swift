/// UTF-8 well-formedness, as Unicode's table 3-7 defines it.
enum UTF8Validation {
  /// The length of the well-formed multi-byte sequence that starts at `i` (whose first byte is
  /// at least 0x80), or 0 when the bytes there are not one.
  @inline(__always)
  static func sequenceLength(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int) -> Int {
    let b0 = p[i]
    @inline(__always) func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF)
      -> Bool
    {
      i + k < n && (low...high).contains(p[i + k])
    }
    switch b0 {
    case 0xC2...0xDF:
      return continuation(1) ? 2 : 0
    case 0xE0:
      return continuation(1, 0xA0) && continuation(2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF:
      return continuation(1) && continuation(2) ? 3 : 0
    case 0xED:
      return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
    case 0xF0:
      return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF1...0xF3:
      return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF4:
      return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
    default:
      return 0
    }
  }

  /// The offset of the first byte that does not begin a well-formed sequence, or nil.
  static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let p = bytes.baseAddress else { return nil }
    var i = 0
    while i < bytes.count {
      if p[i] < 0x80 {
        i += 1
      } else {
        let length = sequenceLength(p, bytes.count, at: i)
        if length == 0 { return i }
        i += length
      }
    }
    return nil
  }
}
