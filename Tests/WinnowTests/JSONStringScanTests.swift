import Testing

@testable import Winnow

/// A byte sequence placed inside a string, after `k` plain bytes and before `m` more, and what
/// the string must read as (or the error it must raise at the sequence).
struct StringScanCase: Sendable, CustomTestStringConvertible {
  let name: String
  let inserted: [UInt8]
  /// What `inserted` decodes to; nil when the string is rejected at the inserted bytes.
  let decoded: String?
  let message: String?
  /// Where the error is, counted from the inserted bytes.
  var errorAt = 0
  var testDescription: String { name }
}

/// The string scanner reads 32 and 16 bytes at a time and, near the end of the input, a block
/// that overlaps bytes before the string: these tests put every kind of stop byte at every
/// offset of such blocks, with the string at the end of the input and inside a larger one.
@Suite struct JSONStringScanTests {
  /// Plain bytes next to the thresholds the scanner compares with (0x20, `"` 0x22, `\` 0x5C,
  /// 0x7F, and the sign bit).
  static let plainCycle: [UInt8] = Array(" !#[]~\u{7F}a".utf8)

  static func plain(_ count: Int, from start: Int = 0) -> [UInt8] {
    (0..<count).map { plainCycle[($0 + start) % plainCycle.count] }
  }

  static let cases: [StringScanCase] = [
    StringScanCase(name: "nothing", inserted: [], decoded: "", message: nil),
    StringScanCase(name: "escape", inserted: Array(#"\n"#.utf8), decoded: "\n", message: nil),
    StringScanCase(
      name: "escaped quote", inserted: Array(#"\""#.utf8), decoded: "\"", message: nil),
    StringScanCase(
      name: "every two-character escape", inserted: Array(#"\"\\\/\b\f\n\r\t"#.utf8),
      decoded: "\"\\/\u{8}\u{C}\n\r\t", message: nil),
    StringScanCase(
      name: "escapes between plain runs",
      inserted: Array(#"\u00e9abcdefghijklmnopqrstu\tx\n"#.utf8),
      decoded: "éabcdefghijklmnopqrstu\tx\n", message: nil),
    StringScanCase(
      name: "invalid escape", inserted: Array(#"\x"#.utf8), decoded: nil,
      message: "invalid escape sequence in string", errorAt: 1),
    StringScanCase(name: "two-byte UTF-8", inserted: Array("é".utf8), decoded: "é", message: nil),
    StringScanCase(name: "four-byte UTF-8", inserted: Array("😀".utf8), decoded: "😀", message: nil),
    StringScanCase(name: "invalid byte", inserted: [0xFF], decoded: "\u{FFFD}", message: nil),
    StringScanCase(
      name: "control character", inserted: [0x0A], decoded: nil,
      message: "control character U+000A must be escaped in a string"),
    StringScanCase(
      name: "NUL", inserted: [0x00], decoded: nil,
      message: "control character U+0000 must be escaped in a string"),
  ]

  @Test(arguments: cases)
  func everyOffsetOfTheBlocks(_ c: StringScanCase) throws {
    for before in 0...40 {
      for after in [0, 1, 15, 16, 17, 31, 32, 33] {
        let body = Self.plain(before) + c.inserted + Self.plain(after, from: before)
        let expected =
          String(decoding: Self.plain(before), as: UTF8.self) + (c.decoded ?? "")
          + String(decoding: Self.plain(after, from: before), as: UTF8.self)
        for (prefix, suffix) in [([UInt8](), [UInt8]()), (Array("[1,".utf8), Array(",2]".utf8))] {
          let text = prefix + [0x22] + body + [0x22] + suffix
          let stop = prefix.count + 1 + before + c.errorAt
          do {
            let value = try JSONValue(parsing: text)
            #expect(c.message == nil, "\(before)+\(after): accepted")
            var string = value
            if case .array(let elements) = value { string = elements[1] }
            #expect(string == .string(expected), "\(before)+\(after) in \(prefix.count)")
          } catch {
            #expect(error.message == c.message, "\(before)+\(after)")
            #expect(error.offset == stop, "\(before)+\(after)")
          }
        }
      }
    }
  }

  @Test func unterminatedStringsAreReportedAtTheEndWhateverTheirLength() {
    for length in 0...70 {
      let text = [0x22] + Self.plain(length)
      #expect(throws: Diagnostic.self) { try JSONValue(parsing: text) }
      do {
        _ = try JSONValue(parsing: text)
      } catch {
        #expect(error.message == "unterminated string")
        #expect(error.offset == text.count)
      }
    }
  }
}
