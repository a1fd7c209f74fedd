// Minified printing with minimal string escaping (SPEC section 3, canonical form).

extension JSONValue: CustomStringConvertible {
  /// The value as minified JSON: no whitespace, members in order, numbers as written.
  public var description: String { minified }

  /// The value as minified JSON: no whitespace, members in order, numbers as written, strings
  /// escaped only where JSON requires it (`\"`, `\\`, `\b \f \n \r \t`, other control
  /// characters as lowercase `\u00xx`).
  public var minified: String {
    var out: [UInt8] = []
    write(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the minified form to `out`.
  func write(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n): out.append(contentsOf: n.lexeme.utf8)
    case .string(let s): JSONValue.writeQuoted(s.utf8, to: &out)
    case .array(let elements):
      out.append(UInt8(ascii: "["))
      for (i, element) in elements.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        element.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      out.append(UInt8(ascii: "{"))
      for (i, member) in object.members.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        JSONValue.writeQuoted(member.key.utf8, to: &out)
        out.append(UInt8(ascii: ":"))
        member.value.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// Appends `bytes` as a JSON string with minimal escaping.
  static func writeQuoted(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for b in bytes {
      switch b {
      case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), b])
      case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), b])
      case 0x08: out.append(contentsOf: "\\b".utf8)
      case 0x0C: out.append(contentsOf: "\\f".utf8)
      case 0x0A: out.append(contentsOf: "\\n".utf8)
      case 0x0D: out.append(contentsOf: "\\r".utf8)
      case 0x09: out.append(contentsOf: "\\t".utf8)
      case 0..<0x20:
        out.append(contentsOf: "\\u00".utf8)
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 0xF)])
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
