/// Maps any string to one NATS subject token and back, so that an event's `Type` or `Action`
/// can be a token of a subject such as `drp.events.<type>.<action>` whatever it contains.
///
/// NATS splits subjects at `.`, treats a token of `*` or `>` as a wildcard and forbids
/// whitespace, so those bytes cannot appear in a token as they are. The scheme:
///
/// - A byte stays as it is when it is a printable ASCII character (`!` through `~`) other than
///   `.`, `*`, `>` and `%`.
/// - Every other byte of the UTF-8 encoding (`.`, `*`, `>`, `%`, space, control characters and
///   every byte of a non-ASCII character) is written `%XX`, two upper-case hex digits.
/// - The empty string, which would be an empty token, is written as a lone `%`.
///
/// So `machines` stays `machines`, `a.b` is `a%2Eb`, `*` is `%2A`, `50%` is `50%25` and `é` is
/// `%C3%A9`. The mapping is injective (a `%` in the output always starts an escape or is the
/// whole empty token), its output is never a wildcard, and the same string always gives the
/// same token, so a subscription on the escaped value of a field receives exactly the events
/// whose field equals that value.
public enum NATSSubjectToken {
  /// The token for `value`: `value` itself when it needs no escaping.
  public static func escape(_ value: String) -> String {
    if value.isEmpty { return "%" }
    if value.utf8.allSatisfy(isVerbatim) { return value }
    var out: [UInt8] = []
    out.reserveCapacity(value.utf8.count + 8)
    for byte in value.utf8 {
      if isVerbatim(byte) {
        out.append(byte)
      } else {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0F)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The string whose token is `token`, or nil when `token` is not an output of ``escape(_:)``
  /// (a malformed or lower-case escape, an escaped byte that needs no escaping, a byte that
  /// should have been escaped, or bytes that are not UTF-8).
  public static func unescape(_ token: String) -> String? {
    if token == "%" { return "" }
    if token.isEmpty { return nil }
    var out: [UInt8] = []
    var bytes = token.utf8.makeIterator()
    while let byte = bytes.next() {
      if byte == UInt8(ascii: "%") {
        guard let high = bytes.next().flatMap(hexValue), let low = bytes.next().flatMap(hexValue)
        else { return nil }
        let decoded = high << 4 | low
        if isVerbatim(decoded) { return nil }  // canonical form: only escape what must be
        out.append(decoded)
      } else if isVerbatim(byte) {
        out.append(byte)
      } else {
        return nil
      }
    }
    return String(validating: out, as: UTF8.self)
  }

  /// Whether `byte` is written as itself.
  @inline(__always)
  static func isVerbatim(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "."), UInt8(ascii: "*"), UInt8(ascii: ">"), UInt8(ascii: "%"): false
    default: byte > 0x20 && byte < 0x7F
    }
  }

  private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
