import Foundation

@testable import Winnow

/// Draws JSON values and terms from small vocabularies, so random filters often hit.
struct RandomJSON {
  var rng: SeededGenerator
  static let keys = ["a", "b", "Stage", "Name", "0", "1", "a.b", "é", ""]
  static let strings = ["", "x", "discover", "é", "e\u{301}", "a\"b", "\n", "node-1.lab", "😀"]

  init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

  mutating func int(_ upper: Int) -> Int { Int.random(in: 0..<upper, using: &rng) }
  mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

  mutating func value(depth: Int = 0) -> JSONValue {
    switch int(depth >= 3 ? 5 : 7) {
    case 0: return .null
    case 1: return .bool(chance(50))
    case 2:
      return .number(
        [
          JSONNumber(0), JSONNumber(1), JSONNumber(-0.0), JSONNumber(1.5),
          JSONNumber(value: 1, lexeme: "1e0"), JSONNumber(value: 100, lexeme: "1E+2"),
        ][int(6)])
    case 3, 4: return .string(RandomJSON.strings[int(RandomJSON.strings.count)])
    case 5: return .array((0..<int(3)).map { _ in value(depth: depth + 1) })
    default:
      return .object(
        JSONObject(
          (0..<int(4)).map { _ in
            (RandomJSON.keys[int(RandomJSON.keys.count)], value(depth: depth + 1))
          }))
    }
  }

  /// An event-shaped document: string members and Object/Original drawn at random.
  mutating func event() -> JSONValue {
    var members: [(key: String, value: JSONValue)] = [("Type", chance(50) ? "machines" : "jobs")]
    if chance(80) { members.append(("Object", chance(10) ? .null : value())) }
    if chance(60) { members.append(("Original", chance(10) ? .null : value())) }
    for key in RandomJSON.keys.prefix(4) where chance(30) { members.append((key, value())) }
    return .object(JSONObject(members))
  }

  mutating func path() -> String {
    let steps = (0..<(1 + int(3))).map { _ in RandomJSON.keys[int(RandomJSON.keys.count - 2)] }
    switch int(3) {
    case 0 where !steps.contains(where: { $0.contains(".") }): return steps.joined(separator: ".")
    case 1:
      return "#/"
        + steps.map {
          $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            .addingPercentEncoding()
        }.joined(separator: "/")
    default: return "/" + steps.joined(separator: "/")
    }
  }

  mutating func term(depth: Int = 0) -> Term {
    let kind = depth >= 3 ? 3 : int(6)
    switch kind {
    case 0: return .and((0..<(1 + int(3))).map { _ in term(depth: depth + 1) })
    case 1: return .or((0..<(1 + int(3))).map { _ in term(depth: depth + 1) })
    case 2: return .not(term(depth: depth + 1))
    default:
      let test: FieldTest
      switch int(7) {
      case 0: test = .exists
      case 1: test = .eq(value())
      case 2: test = .ne(value())
      case 3: test = .in((0..<(1 + int(12))).map { _ in value() })
      case 4: test = .nin((0..<(1 + int(3))).map { _ in value() })
      default: test = .changed(from: chance(50) ? value() : nil, to: chance(50) ? value() : nil)
      }
      return .field(try! FieldPath(parsing: path()), test)
    }
  }
}

extension String {
  /// Percent-encodes what a `#` field cannot hold raw.
  func addingPercentEncoding() -> String {
    var out = ""
    for b in utf8 {
      if b == UInt8(ascii: "%") || b >= 0x80 || b <= 0x20 {
        out += "%" + String(b, radix: 16, uppercase: true)
      } else {
        out += String(UnicodeScalar(b))
      }
    }
    return out
  }
}
