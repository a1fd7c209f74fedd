/// The node layout shared by ``JSONTapeBuilder`` (which writes it) and ``JSONView`` (which
/// reads it).
///
/// A parsed document is a flat array of 64-bit words, two per node, in document order: the
/// first word holds the kind in its top byte and a payload in the rest, the second a value.
///
/// | kind | payload | second word |
/// | --- | --- | --- |
/// | null, false, true | 0 | 0 |
/// | number | source offset of the lexeme | the `Double` bit pattern |
/// | string | byte offset (bit 55 set: in the decoded-strings buffer, else in the source) | byte length (low 32 bits) and first four bytes (high 32 bits) |
/// | array, object | tape index just past the container's last node | element or member count |
///
/// An object's members are a key (a string node) followed by its value. Containers know where
/// they end, so skipping a value costs one read whatever its size.
enum JSONTape {
  static let kindShift: UInt64 = 56
  static let payloadMask: UInt64 = (1 << 56) - 1
  /// Marks a string whose bytes were decoded (escapes, invalid UTF-8) into the extra buffer.
  static let decodedFlag: UInt64 = 1 << 55
  static let offsetMask: UInt64 = decodedFlag - 1

  /// A string's length in the low 32 bits and its first four bytes (zero-padded) in the high
  /// 32 bits: one compare of this word settles most key comparisons without reading the
  /// string's bytes, which are elsewhere in memory.
  @inline(__always)
  static func packedLength(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    var prefix: UInt64 = 0
    if count >= 4 {
      prefix = UInt64(UInt32(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt32.self)))
    } else {
      for k in 0..<count { prefix |= UInt64(bytes[k]) << (8 * UInt64(k)) }
    }
    return UInt64(truncatingIfNeeded: UInt32(truncatingIfNeeded: count)) | prefix << 32
  }

  /// The length stored in a string node's second word.
  @inline(__always)
  static func length(_ packed: UInt64) -> Int { Int(packed & 0xFFFF_FFFF) }
}

/// The kind of a node in a parsed document.
public enum JSONKind: UInt8, Sendable {
  /// `null`.
  case null = 1
  /// `false`.
  case `false`
  /// `true`.
  case `true`
  /// A number.
  case number
  /// A string.
  case string
  /// An array.
  case array
  /// An object.
  case object
}

extension JSONTape {
  @inline(__always)
  static func kind(_ word: UInt64) -> JSONKind {
    JSONKind(rawValue: UInt8(truncatingIfNeeded: word >> kindShift))!
  }
}
