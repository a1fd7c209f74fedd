import Testing

@testable import Winnow

/// The shared byte helpers, checked against the standard library on every byte.
@Suite struct ByteClassTests {
  struct ClassCase: CustomTestStringConvertible, Sendable {
    let name: String
    let predicate: @Sendable (UInt8) -> Bool
    let members: Set<UInt8>
    var testDescription: String { name }
  }

  static let classes = [
    ClassCase(
      name: "whitespace (grammar, JSON)", predicate: ByteClass.isWhitespace,
      members: [0x20, 0x09, 0x0A, 0x0D]),
    ClassCase(
      name: "blank (inside a line)", predicate: ByteClass.isBlank, members: [0x20, 0x09, 0x0D]),
    ClassCase(
      name: "ASCII space (C isspace)", predicate: ByteClass.isASCIISpace,
      members: [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D]),
  ]

  @Test(arguments: classes)
  func classesHoldExactlyTheirMembers(c: ClassCase) {
    for b in UInt8.min...UInt8.max {
      #expect(c.predicate(b) == c.members.contains(b), "byte \(b)")
    }
  }

  @Test func hexValuesMatchTheStandardLibrary() {
    for b in UInt8.min...UInt8.max {
      let expected = b < 0x80 ? Character(Unicode.Scalar(b)).hexDigitValue.map(UInt8.init) : nil
      #expect(ByteClass.hexValue(b) == expected, "byte \(b)")
    }
  }

  @Test(arguments: [
    "", "a", "é", "€", "😀", "aé€😀\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}",
  ])
  func decodesEveryScalar(text: String) {
    let bytes = Array(text.utf8)
    var decoded: [UInt32] = []
    var i = 0
    while i < bytes.count {
      let (value, length) = UTF8Decoding.scalar(in: bytes, at: i)
      decoded.append(value)
      i += length
    }
    #expect(decoded == text.unicodeScalars.map(\.value))
  }

  @Test func blankLines() {
    for (text, blank) in [
      ("", true), (" \t\r", true), (" x ", false), ("\n", false), ("\u{0B}", false),
    ] {
      let isBlank = Array(text.utf8).withUnsafeBufferPointer(ByteClass.isBlankLine)
      #expect(isBlank == blank, "\(text.debugDescription)")
    }
  }
}
