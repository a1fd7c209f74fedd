@testable import Winnow

/// Writes random valid filters together with the canonical text each must print as: random
/// whitespace, all term kinds, all three field forms, JSON values with escapes, non-ASCII and
/// control characters, numbers in many spellings, and every `Changed` slot combination.
struct FilterGenerator {
  var random: SeededGenerator

  init(seed: UInt64) { random = SeededGenerator(seed: seed) }

  /// A filter as written and as it must print.
  struct Sample {
    var text = ""
    var canonical = ""

    mutating func both(_ s: String) {
      text += s
      canonical += s
    }
  }

  mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

  mutating func pick<T>(_ choices: [T]) -> T { choices.randomElement(using: &random)! }

  mutating func whitespace() -> String {
    chance(60) ? "" : pick([" ", "  ", "\t", "\n", "\r\n", " \n\t "])
  }

  // MARK: - Terms

  mutating func filter() -> Sample {
    var sample = Sample()
    sample.text += whitespace()
    term(into: &sample, depth: 0)
    sample.text += whitespace()
    return sample
  }

  mutating func term(into s: inout Sample, depth: Int) {
    if depth < 5 && chance(35) {
      let name = pick(["And", "Or", "Not"])
      s.both(name)
      s.text += whitespace()
      s.both("(")
      let count = name == "Not" ? 1 : Int.random(in: 1...4, using: &random)
      for i in 0..<count {
        if i > 0 {
          s.text += whitespace()
          s.both(",")
        }
        s.text += whitespace()
        term(into: &s, depth: depth + 1)
      }
      s.text += whitespace()
      s.both(")")
    } else {
      s.both(field())
      s.text += whitespace()
      s.both("=")
      s.text += whitespace()
      test(into: &s)
    }
  }

  mutating func test(into s: inout Sample) {
    let name = pick(["Exists", "Eq", "Ne", "Re", "In", "Nin", "Changed"])
    s.both(name)
    s.text += whitespace()
    s.both("(")
    switch name {
    case "Exists":
      s.text += whitespace()
    case "Eq", "Ne":
      value(into: &s, depth: 0)
    case "Re":
      s.text += whitespace()
      string(
        pick(["^a.*b$", "\\d+", "[a-z]+", "é|ü", "x\ty", "\"q\"", "(?i)node-[0-9]{1,3}", ""]),
        into: &s)
      s.text += whitespace()
    case "In", "Nin":
      for i in 0..<Int.random(in: 1...4, using: &random) {
        if i > 0 { s.both(",") }
        value(into: &s, depth: 0)
      }
    default:  // Changed: slots [value] [, [value]]
      let from = chance(50)
      let comma = chance(50)
      let to = comma && chance(50)
      var canonical = Sample()
      if from { value(into: &canonical, depth: 0) } else { canonical.text += whitespace() }
      if comma {
        canonical.text += ","
        if to {
          canonical.canonical += ","
          value(into: &canonical, depth: 0)
        } else {
          canonical.text += whitespace()
        }
      }
      s.text += canonical.text
      s.canonical += canonical.canonical
    }
    s.both(")")
  }

  // MARK: - Fields

  mutating func field() -> String {
    switch Int.random(in: 0..<3, using: &random) {
    case 0:
      return (0..<Int.random(in: 1...3, using: &random)).map { _ in
        segment(from: ["a", "Z", "0", "_", "-", "é", "✓", "~", "%", "/", "#"])
      }.joined(separator: ".").replacingLeading()
    case 1:
      return (0..<Int.random(in: 0...3, using: &random)).map { _ in
        "/" + segment(from: ["a", "B", "1", ".", "~0", "~1", "é", "#", "%"])
      }.joined().ifEmpty("/")
    default:
      if chance(10) { return "#" }
      return "#"
        + (0..<Int.random(in: 1...3, using: &random)).map { _ in
          "/" + segment(from: ["a", "b", "~0", "~1", "%20", "%2F", "%C3%A9", "é", "."])
        }.joined()
    }
  }

  mutating func segment(from pieces: [String]) -> String {
    (0..<Int.random(in: 1...4, using: &random)).map { _ in pick(pieces) }.joined()
  }

  // MARK: - JSON values

  mutating func value(into s: inout Sample, depth: Int) {
    s.text += whitespace()
    switch Int.random(in: 0..<(depth < 3 ? 8 : 6), using: &random) {
    case 0: s.both("null")
    case 1: s.both(pick(["true", "false"]))
    case 2, 3:
      s.both(
        pick([
          "0", "-0", "1", "-12", "3.25", "1e3", "1E+2", "-0.5e-3", "1e-400", "1.0",
          "12345678901234567890",
        ]))
    case 4, 5:
      var scalars = ""
      for _ in 0..<Int.random(in: 0...6, using: &random) {
        scalars.unicodeScalars.append(scalar())
      }
      string(scalars, into: &s)
    case 6:
      s.both("[")
      for i in 0..<Int.random(in: 0...3, using: &random) {
        if i > 0 { s.both(",") }
        value(into: &s, depth: depth + 1)
      }
      s.text += whitespace()
      s.both("]")
    default:
      s.both("{")
      // Distinct keys: a repeated key would move a value in the canonical form.
      let keys = Array(
        Set(
          (0..<Int.random(in: 0...3, using: &random)).map { _ in
            pick(["a", "b", "é", "", "k\n", "😀"])
          }))
      for (i, key) in keys.enumerated() {
        if i > 0 { s.both(",") }
        s.text += whitespace()
        string(key, into: &s)
        s.text += whitespace()
        s.both(":")
        value(into: &s, depth: depth + 1)
      }
      s.text += whitespace()
      s.both("}")
    }
    s.text += whitespace()
  }

  mutating func scalar() -> Unicode.Scalar {
    switch Int.random(in: 0..<6, using: &random) {
    case 0: return Unicode.Scalar(UInt8.random(in: 0..<0x20, using: &random))
    case 1: return pick(["\"", "\\", "/", "\u{7F}"])
    case 2: return pick(["é", "ß", "\u{2028}", "😀", "\u{FFFD}", "中"])
    default: return Unicode.Scalar(UInt8.random(in: 0x20..<0x7F, using: &random))
    }
  }

  /// Writes `string` as a JSON string: in the text with a random mix of raw characters and
  /// escapes, in the canonical form minimally escaped.
  mutating func string(_ string: String, into s: inout Sample) {
    var out: [UInt8] = []
    JSONValue.writeQuoted(string.utf8, to: &out)
    s.canonical += String(decoding: out, as: UTF8.self)
    s.text += "\""
    for scalar in string.unicodeScalars {
      let short: [Unicode.Scalar: String] = [
        "\"": "\\\"", "\\": "\\\\", "/": "\\/", "\u{8}": "\\b", "\u{C}": "\\f", "\n": "\\n",
        "\r": "\\r", "\t": "\\t",
      ]
      let mustEscape = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
      if !mustEscape && chance(70) {
        s.text.unicodeScalars.append(scalar)
      } else if let escape = short[scalar], chance(60) {
        s.text += escape
      } else if scalar.value > 0xFFFF {
        let v = scalar.value - 0x10000
        s.text += hexEscape(0xD800 + (v >> 10)) + hexEscape(0xDC00 + (v & 0x3FF))
      } else {
        s.text += hexEscape(scalar.value)
      }
    }
    s.text += "\""
  }

  mutating func hexEscape(_ unit: UInt32) -> String {
    let hex = String(unit, radix: 16, uppercase: chance(50))
    return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
  }
}

extension String {
  /// A dotted field must not start with `/` or `#` (those are the other forms).
  fileprivate func replacingLeading() -> String {
    guard let first, first == "/" || first == "#" else { return self }
    return "x" + self
  }

  fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
