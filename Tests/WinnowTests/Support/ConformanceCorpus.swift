import Foundation
import Testing

@testable import Winnow

/// One case of the language-neutral corpus under `Grammar/conformance/` (format described in
/// its README), decoded into what a Swift runner needs.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
  enum Input: Sendable {
    case filter([UInt8])
    case specifier([UInt8])
  }

  enum Subject: Sendable {
    case none
    case document([UInt8])
    case event([UInt8])
    case events([[UInt8]])
  }

  enum Expectation: Sendable {
    case holds(Bool)
    case indices([Int])
    case error(code: String, line: Int, column: Int)
    case valid(canonical: String?)
    case documentError
  }

  let file: String
  let name: String
  let input: Input
  let limits: ParseLimits
  let subject: Subject
  let expect: Expectation
  let canonical: String?

  var testDescription: String { "\(file): \(name)" }
}

/// Loads the corpus from the repository checkout the tests were built from.
enum ConformanceCorpus {
  static let grammarDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Grammar")

  static let cases: [ConformanceCase] = {
    let directory = grammarDirectory.appendingPathComponent("conformance")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.sorted().flatMap { file -> [ConformanceCase] in
      // Read with Winnow's own JSON reader: Foundation would lose what some cases hold.
      let data = try! Data(contentsOf: directory.appendingPathComponent(file))
      let root = try! JSONValue(parsing: Array(data))
      guard case .array(let cases)? = root["cases"] else { fatalError("\(file) has no cases") }
      return cases.map { decode($0, file: file) }
    }
  }()

  private static func decode(_ c: JSONValue, file: String) -> ConformanceCase {
    var input: ConformanceCase.Input
    var generatedDocument: [UInt8]? = nil
    if let text = c["filter"]?.string {
      input = .filter(Array(text.utf8))
    } else if let hex = c["filterHex"]?.string {
      input = .filter(bytes(hex: hex))
    } else if let text = c["specifier"]?.string {
      input = .specifier(Array(text.utf8))
    } else if let hex = c["specifierHex"]?.string {
      input = .specifier(bytes(hex: hex))
    } else {
      input = .filter([])
    }
    if let g = c["generate"] {
      let times = g["times"]!.int!
      var text = g["before"]?.string ?? ""
      text += String(repeating: g["repeat"]!.string!, count: times)
      text += g["then"]?.string ?? ""
      text += String(repeating: g["close"]?.string ?? "", count: times)
      text += g["after"]?.string ?? ""
      switch g["field"]?.string ?? "filter" {
      case "specifier": input = .specifier(Array(text.utf8))
      case "documentText": generatedDocument = Array(text.utf8)
      default: input = .filter(Array(text.utf8))
      }
    }
    var limits = ParseLimits()
    if let l = c["limits"] {
      limits.maxBytes = l["maxBytes"]?.int ?? limits.maxBytes
      limits.maxDepth = l["maxDepth"]?.int ?? limits.maxDepth
      limits.maxTerms = l["maxTerms"]?.int ?? limits.maxTerms
      limits.maxJSONDepth = l["maxJSONDepth"]?.int ?? limits.maxJSONDepth
    }
    let subject: ConformanceCase.Subject
    if let generatedDocument {
      subject = .document(generatedDocument)
    } else if let value = c["document"] {
      subject = .document(Array(value.minified.utf8))
    } else if let text = c["documentText"]?.string {
      subject = .document(Array(text.utf8))
    } else if let hex = c["documentHex"]?.string {
      subject = .document(bytes(hex: hex))
    } else if let value = c["event"] {
      subject = .event(Array(value.minified.utf8))
    } else if let text = c["eventText"]?.string {
      subject = .event(Array(text.utf8))
    } else if let path = c["eventFile"]?.string {
      subject = .event(Array(try! Data(contentsOf: grammarDirectory.appendingPathComponent(path))))
    } else if case .array(let events)? = c["events"] {
      subject = .events(events.map { Array($0.minified.utf8) })
    } else {
      subject = .none
    }
    let expect: ConformanceCase.Expectation
    switch c["expect"] {
    case .bool(let b)?: expect = .holds(b)
    case .array(let indices)?: expect = .indices(indices.map { $0.int! })
    case let object?:
      if let code = object["error"]?.string {
        expect = .error(code: code, line: object["line"]!.int!, column: object["column"]!.int!)
      } else if object["documentError"] != nil {
        expect = .documentError
      } else {
        expect = .valid(canonical: object["canonical"]?.string)
      }
    case nil:
      fatalError("a case without expect in \(file)")
    }
    return ConformanceCase(
      file: file, name: c["name"]!.string!, input: input, limits: limits, subject: subject,
      expect: expect, canonical: c["canonical"]?.string)
  }

  private static func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(hex.utf8)[...]
    while chars.count >= 2 {
      out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!)
      chars = chars.dropFirst(2)
    }
    return out
  }

}

extension JSONValue {
  /// The string, if this is one.
  var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The number as an integer, if this is an integral number.
  var int: Int? {
    if case .number(let n) = self, let i = Int(exactly: n.value) { return i }
    return nil
  }
}
