/// The byte classes every reader of text shares (lexer, JSON, paths, specifiers, regexes,
/// streams), so that "whitespace" or "hex digit" means one thing everywhere.
package enum ByteClass {
  /// Space, tab, LF or CR: whitespace between the tokens of a filter and in JSON (RFC 8259).
  @inline(__always)
  package static func isWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
  }

  /// Space, tab or CR: the whitespace inside one line (LF ends it), which a blank line holds
  /// and which is trimmed around a specifier in a specifier file.
  @inline(__always)
  package static func isBlank(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0D
  }

  /// ASCII whitespace as C's `isspace`: space, tab, LF, VT, FF or CR.
  @inline(__always)
  package static func isASCIISpace(_ b: UInt8) -> Bool {
    b == 0x20 || (0x09...0x0D).contains(b)
  }

  /// Whether a line holds only ``isBlank(_:)`` bytes (or nothing).
  @inline(__always)
  package static func isBlankLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in line where !isBlank(b) { return false }
    return true
  }

  /// The value of an ASCII hexadecimal digit (`0-9`, `a-f`, `A-F`), or nil.
  @inline(__always)
  package static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): b &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): b &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): b &- UInt8(ascii: "A") &+ 10
    default: nil
    }
  }
}
