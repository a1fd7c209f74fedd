/// A slow, obviously-correct JSON reader and printer, written straight from RFC 8259 and SPEC
/// section 6, that the fuzzers hold the fast tape parser against.
///
/// It recurses (one call per nested container) and keeps every value as plain bytes, so it is
/// short enough to check by eye: strings are decoded as Go's `encoding/json` does (an invalid
/// UTF-8 byte or a lone surrogate escape reads as U+FFFD, one per byte), numbers keep their
/// lexeme and are converted with the C library's correctly rounded `strtod` (through
/// `Double(_: String)`), and a key written twice keeps its first place and its last value.
public indirect enum ReferenceJSON: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(lexeme: String, value: Double)
  /// The decoded string as valid UTF-8 bytes.
  case string([UInt8])
  case array([ReferenceJSON])
  case object([Member])

  public struct Member: Equatable, Sendable {
    public var key: [UInt8]
    public var value: ReferenceJSON
  }

  /// Why a text was rejected: the first byte that cannot continue valid JSON, or the opening
  /// bracket of a container nested deeper than the limit.
  public enum Failure: Error, Equatable, Sendable {
    case syntax(at: Int)
    case tooDeep(at: Int)
  }

  /// Reads a whole document: optional whitespace, one value, optional whitespace.
  public static func parse(_ bytes: [UInt8], maxDepth: Int) -> Result<ReferenceJSON, Failure> {
    var reader = Reader(bytes: bytes, maxDepth: maxDepth)
    do throws(Failure) {
      reader.skipWhitespace()
      let value = try reader.value(depth: 0)
      reader.skipWhitespace()
      guard reader.i == bytes.count else { throw Failure.syntax(at: reader.i) }
      return .success(value)
    } catch {
      return .failure(error)
    }
  }

  /// Minified JSON with the canonical form's minimal escaping (SPEC section 3).
  public var minified: [UInt8] {
    var out: [UInt8] = []
    write(to: &out)
    return out
  }

  private func write(to out: inout [UInt8]) {
    switch self {
    case .null: out += Array("null".utf8)
    case .bool(let b): out += Array((b ? "true" : "false").utf8)
    case .number(let lexeme, _): out += Array(lexeme.utf8)
    case .string(let s): ReferenceJSON.writeQuoted(s, to: &out)
    case .array(let elements):
      out.append(UInt8(ascii: "["))
      for (n, element) in elements.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        element.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (n, member) in members.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        ReferenceJSON.writeQuoted(member.key, to: &out)
        out.append(UInt8(ascii: ":"))
        member.value.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  static func writeQuoted(_ s: [UInt8], to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for b in s {
      switch b {
      case UInt8(ascii: "\""): out += Array("\\\"".utf8)
      case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
      case 0x08: out += Array("\\b".utf8)
      case 0x0C: out += Array("\\f".utf8)
      case 0x0A: out += Array("\\n".utf8)
      case 0x0D: out += Array("\\r".utf8)
      case 0x09: out += Array("\\t".utf8)
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// The deepest nesting of containers in the value (a scalar is 0, `[]` is 1).
  public var depth: Int {
    switch self {
    case .array(let elements): 1 + (elements.map(\.depth).max() ?? 0)
    case .object(let members): 1 + (members.map(\.value.depth).max() ?? 0)
    default: 0
    }
  }
}

// MARK: - The reader

private struct Reader {
  let bytes: [UInt8]
  let maxDepth: Int
  var i = 0

  init(bytes: [UInt8], maxDepth: Int) {
    self.bytes = bytes
    self.maxDepth = maxDepth
  }

  var current: UInt8? { i < bytes.count ? bytes[i] : nil }

  mutating func skipWhitespace() {
    while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 }
  }

  mutating func expect(_ b: UInt8) throws(ReferenceJSON.Failure) {
    guard current == b else { throw .syntax(at: i) }
    i += 1
  }

  mutating func literal(_ word: String) throws(ReferenceJSON.Failure) {
    for b in word.utf8 { try expect(b) }
  }

  /// Reads one `value := object | array | string | number | "true" | "false" | "null"`.
  mutating func value(depth: Int) throws(ReferenceJSON.Failure) -> ReferenceJSON {
    guard let first = current else { throw .syntax(at: i) }
    switch first {
    case UInt8(ascii: "{"):
      guard depth < maxDepth else { throw .tooDeep(at: i) }
      i += 1
      skipWhitespace()
      var members: [ReferenceJSON.Member] = []
      if current == UInt8(ascii: "}") {
        i += 1
        return .object(members)
      }
      while true {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw .syntax(at: i) }
        let key = try string()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        let member = try value(depth: depth + 1)
        if let k = members.firstIndex(where: { $0.key == key }) {
          members[k].value = member
        } else {
          members.append(.init(key: key, value: member))
        }
        skipWhitespace()
        if current == UInt8(ascii: ",") {
          i += 1
          continue
        }
        try expect(UInt8(ascii: "}"))
        return .object(members)
      }
    case UInt8(ascii: "["):
      guard depth < maxDepth else { throw .tooDeep(at: i) }
      i += 1
      skipWhitespace()
      var elements: [ReferenceJSON] = []
      if current == UInt8(ascii: "]") {
        i += 1
        return .array(elements)
      }
      while true {
        skipWhitespace()
        elements.append(try value(depth: depth + 1))
        skipWhitespace()
        if current == UInt8(ascii: ",") {
          i += 1
          continue
        }
        try expect(UInt8(ascii: "]"))
        return .array(elements)
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try number()
    default:
      throw .syntax(at: i)
    }
  }

  /// number := "-"? ("0" | [1-9][0-9]*) ("." [0-9]+)? ([eE] [+-]? [0-9]+)?, finite as a float.
  mutating func number() throws(ReferenceJSON.Failure) -> ReferenceJSON {
    let start = i
    func isDigit(_ b: UInt8?) -> Bool { b.map { (0x30...0x39).contains($0) } ?? false }
    if current == UInt8(ascii: "-") { i += 1 }
    guard isDigit(current) else { throw .syntax(at: i) }
    if current == UInt8(ascii: "0") {
      i += 1
    } else {
      while isDigit(current) { i += 1 }
    }
    if current == UInt8(ascii: ".") {
      i += 1
      guard isDigit(current) else { throw .syntax(at: i) }
      while isDigit(current) { i += 1 }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      i += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
      guard isDigit(current) else { throw .syntax(at: i) }
      while isDigit(current) { i += 1 }
    }
    let lexeme = String(decoding: bytes[start..<i], as: UTF8.self)
    guard let value = Double(lexeme), value.isFinite else { throw .syntax(at: start) }
    return .number(lexeme: lexeme, value: value)
  }

  /// string := '"' { unescaped byte | escape } '"'; returns the decoded, valid UTF-8 bytes.
  mutating func string() throws(ReferenceJSON.Failure) -> [UInt8] {
    try expect(UInt8(ascii: "\""))
    var raw: [UInt8] = []  // bytes as written, escapes resolved; may hold invalid UTF-8
    var out: [UInt8] = []
    func flush() {
      out += goStyleUTF8(raw)
      raw.removeAll()
    }
    while true {
      guard let b = current else { throw .syntax(at: i) }
      switch b {
      case UInt8(ascii: "\""):
        i += 1
        flush()
        return out
      case 0..<0x20:
        throw .syntax(at: i)
      case UInt8(ascii: "\\"):
        i += 1
        guard let e = current else { throw .syntax(at: i) }
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): raw.append(e)
        case UInt8(ascii: "b"): raw.append(0x08)
        case UInt8(ascii: "f"): raw.append(0x0C)
        case UInt8(ascii: "n"): raw.append(0x0A)
        case UInt8(ascii: "r"): raw.append(0x0D)
        case UInt8(ascii: "t"): raw.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800...0xDBFF).contains(scalar), current == UInt8(ascii: "\\"),
            i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u")
          {
            // A high surrogate joins a following low surrogate escape; anything else is read
            // on its own (Go re-reads the second escape when the pair is not valid).
            let save = i
            i += 2
            let low = try hex4()
            if (0xDC00...0xDFFF).contains(low) {
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else {
              i = save
            }
          }
          flush()
          let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
          out += Array(String(Character(s)).utf8)
        default:
          throw .syntax(at: i - 1)
        }
      default:
        raw.append(b)
        i += 1
      }
    }
  }

  mutating func hex4() throws(ReferenceJSON.Failure) -> UInt32 {
    var v: UInt32 = 0
    for _ in 0..<4 {
      guard let b = current, let d = hexDigit(b) else { throw .syntax(at: i) }
      v = v << 4 | d
      i += 1
    }
    return v
  }

  func hexDigit(_ b: UInt8) -> UInt32? {
    switch b {
    case 0x30...0x39: UInt32(b - 0x30)
    case 0x61...0x66: UInt32(b - 0x61 + 10)
    case 0x41...0x46: UInt32(b - 0x41 + 10)
    default: nil
    }
  }
}

/// Valid UTF-8 copied, every byte that does not start a well-formed sequence (Unicode table
/// 3-7) replaced by U+FFFD, as Go's `utf8.DecodeRune` reads it (width 1 on error).
public func goStyleUTF8(_ raw: [UInt8]) -> [UInt8] {
  var out: [UInt8] = []
  var i = 0
  func inRange(_ k: Int, _ r: ClosedRange<UInt8>) -> Bool { k < raw.count && r.contains(raw[k]) }
  while i < raw.count {
    let b = raw[i]
    var length = 0
    switch b {
    case 0x00...0x7F: length = 1
    case 0xC2...0xDF: length = inRange(i + 1, 0x80...0xBF) ? 2 : 0
    case 0xE0: length = inRange(i + 1, 0xA0...0xBF) && inRange(i + 2, 0x80...0xBF) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF:
      length = inRange(i + 1, 0x80...0xBF) && inRange(i + 2, 0x80...0xBF) ? 3 : 0
    case 0xED: length = inRange(i + 1, 0x80...0x9F) && inRange(i + 2, 0x80...0xBF) ? 3 : 0
    case 0xF0:
      length =
        inRange(i + 1, 0x90...0xBF) && inRange(i + 2, 0x80...0xBF) && inRange(i + 3, 0x80...0xBF)
        ? 4 : 0
    case 0xF1...0xF3:
      length =
        inRange(i + 1, 0x80...0xBF) && inRange(i + 2, 0x80...0xBF) && inRange(i + 3, 0x80...0xBF)
        ? 4 : 0
    case 0xF4:
      length =
        inRange(i + 1, 0x80...0x8F) && inRange(i + 2, 0x80...0xBF) && inRange(i + 3, 0x80...0xBF)
        ? 4 : 0
    default: length = 0
    }
    if length == 0 {
      out += [0xEF, 0xBF, 0xBD]
      i += 1
    } else {
      out += raw[i..<(i + length)]
      i += length
    }
  }
  return out
}
