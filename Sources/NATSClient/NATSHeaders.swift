/// The header block of an `HPUB`/`HMSG`: `NATS/1.0[ status[ description]]`, then `Name: value`
/// lines, then an empty line.
///
/// Names keep their case; lookups ignore ASCII case.
public struct NATSHeaders: Hashable, Sendable {
  /// One `Name: value` line.
  public struct Field: Hashable, Sendable {
    /// The name, its case kept.
    public var name: String
    /// The value, without surrounding blanks.
    public var value: String
    /// The line `name: value`.
    public init(name: String, value: String) {
      self.name = name
      self.value = value
    }
  }

  /// The `Name: value` lines, in order.
  public var fields: [Field]
  /// A status the server puts on the version line (503 for "no responders"), else nil.
  public var status: Int?

  /// A header block of `fields`, with `status` on the version line if given.
  public init(_ fields: [Field] = [], status: Int? = nil) {
    self.fields = fields
    self.status = status
  }

  /// The value of the first field named `name` (ASCII case-insensitive).
  public subscript(name: String) -> String? {
    fields.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  /// The header block as it goes on the wire.
  var encoded: [UInt8] {
    var out = Array("NATS/1.0\r\n".utf8)
    for field in fields {
      out += field.name.utf8
      out += ": ".utf8
      out += field.value.utf8
      out += "\r\n".utf8
    }
    out += "\r\n".utf8
    return out
  }

  /// Nil when `name` and `value` can go on the wire, else the reason they cannot.
  static func problem(name: String, value: String) -> String? {
    if name.isEmpty { return "empty header name" }
    if name.utf8.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: ":") || $0 >= 0x7F }) {
      return "header name '\(name)' has a space, colon or control character"
    }
    if value.utf8.contains(where: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) {
      return "header value of '\(name)' has a line break"
    }
    return nil
  }

  /// Parses a header block; nil when it is not one.
  static func parse(_ bytes: ArraySlice<UInt8>) -> NATSHeaders? {
    var lines = split(bytes)
    guard lines.count >= 2, lines.removeLast().isEmpty else { return nil }  // final empty line
    let version = lines.removeFirst()
    let prefix = Array("NATS/1.0".utf8)
    guard version.starts(with: prefix) else { return nil }
    var headers = NATSHeaders()
    let rest = version.dropFirst(prefix.count).drop { $0 == UInt8(ascii: " ") }
    if !rest.isEmpty {
      let code = rest.prefix { $0 != UInt8(ascii: " ") }
      guard let status = Int(String(decoding: code, as: UTF8.self)) else { return nil }
      headers.status = status
    }
    for line in lines {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
        return nil
      }
      let name = String(decoding: line[..<colon], as: UTF8.self)
      let value = line[(colon + 1)...].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
      headers.fields.append(Field(name: name, value: String(decoding: value, as: UTF8.self)))
    }
    return headers
  }

  /// The block split at CRLF; the last element is what follows the last CRLF.
  private static func split(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    var i = bytes.startIndex
    while i < bytes.endIndex {
      if bytes[i] == UInt8(ascii: "\r"), i + 1 < bytes.endIndex, bytes[i + 1] == UInt8(ascii: "\n")
      {
        lines.append(bytes[start..<i])
        i += 2
        start = i
      } else {
        i += 1
      }
    }
    // A well-formed block ends with CRLF CRLF: the last split element is empty and the one
    // before it (the blank line) too. Drop the trailing remainder so the blank line comes last.
    guard start == bytes.endIndex else { return [] }
    return lines
  }
}
