import Foundation
import Testing

/// Replays every input the fuzzers ever failed on (`Fuzz/FailCases/<Target>/`) and every seed
/// (`Fuzz/Corpus/<Target>/`) through the same oracles the fuzz targets run (the folder
/// `FuzzOracles` here is a symlink to `Fuzz/Sources/FuzzOracles`), without libFuzzer.
///
/// An oracle returns nil when its checks hold, or a message. A fail case whose bug is not fixed
/// yet is listed in `Fuzz/FailCases/KNOWN_ISSUES` (`Target/file: reason`) and runs as a known
/// issue, so the suite fails again as soon as it is fixed and the entry should go; an entry
/// whose reason starts with `trap` is not run at all, since a trap would end the test process.
@Suite struct FuzzRegressionTests {
  /// One file to replay.
  struct Input: Sendable, CustomTestStringConvertible {
    let target: String
    /// The path relative to `Fuzz/`.
    let path: String
    var testDescription: String { path }
  }

  static let fuzzDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz")

  /// The fuzz targets and their oracles.
  static let oracles: [String: @Sendable ([UInt8]) -> String?] = [
    "FuzzJSON": checkJSONDocument,
    "FuzzEval": { checkEvaluation(fuzz: $0) },
    "FuzzFilter": checkFilterText,
    "FuzzSpecifier": checkSpecifierText,
    "FuzzRegex": checkRegex,
    "FuzzNDJSON": checkNDJSONStream,
    "FuzzSubscriptions": checkSubscriptions,
  ]

  static func files(in folder: String, target: String) -> [Input] {
    let directory = fuzzDirectory.appendingPathComponent(folder).appendingPathComponent(target)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map {
      Input(target: target, path: "\(folder)/\(target)/\($0)")
    }
  }

  static let failCases = oracles.keys.sorted().flatMap { files(in: "FailCases", target: $0) }
  static let seeds = oracles.keys.sorted().flatMap { files(in: "Corpus", target: $0) }

  /// `Target/file` to the reason it still fails.
  static let knownIssues: [String: String] = {
    let url = fuzzDirectory.appendingPathComponent("FailCases/KNOWN_ISSUES")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
    var issues: [String: String] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon].trimmingCharacters(in: .whitespaces)
      issues[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return issues
  }()

  static func replay(_ input: Input) throws {
    let oracle = try #require(oracles[input.target])
    let bytes = [UInt8](try Data(contentsOf: fuzzDirectory.appendingPathComponent(input.path)))
    let key = "\(input.target)/\(URL(fileURLWithPath: input.path).lastPathComponent)"
    if let reason = knownIssues[key] {
      if reason.hasPrefix("trap") {
        withKnownIssue("not run: \(reason)") { Issue.record("\(key) traps") }
        return
      }
      withKnownIssue(Comment(rawValue: reason)) {
        let failure = oracle(bytes)
        #expect(failure == nil, "\(failure ?? "")")
      }
      return
    }
    let failure = oracle(bytes)
    #expect(failure == nil, "\(failure ?? "")")
  }

  @Test(arguments: failCases)
  func failCaseStaysFixed(_ input: Input) throws { try Self.replay(input) }

  @Test(arguments: seeds)
  func seedPassesTheOracle(_ input: Input) throws { try Self.replay(input) }

  /// The replay is not vacuous: every target has seeds to run.
  @Test func everyTargetHasSeeds() {
    for target in Self.oracles.keys.sorted() {
      #expect(Self.files(in: "Corpus", target: target).count >= 10, "\(target) has too few seeds")
    }
  }
}

/// The reference JSON reader the FuzzJSON oracle trusts, checked on answers worked out by hand.
@Suite struct ReferenceJSONTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let input: [UInt8]
    /// The minified reading, or nil when the text must be rejected.
    let printed: String?
    var testDescription: String { String(decoding: input, as: UTF8.self) }
    init(_ input: String, _ printed: String?) {
      self.input = Array(input.utf8)
      self.printed = printed
    }
    init(bytes: [UInt8], _ printed: String?) {
      input = bytes
      self.printed = printed
    }
  }

  static let cases: [Case] = [
    Case(#" { "a" : [ 1 , 2.50 ] } "#, #"{"a":[1,2.50]}"#),
    Case(#"{"a":1,"b":2,"a":3,"\u0061":4}"#, #"{"a":4,"b":2}"#),
    Case(#""\ud83d\ude00\ud800\u0041\udc00""#, "\"😀\u{FFFD}A\u{FFFD}\""),
    Case(#""\u0001\u001f\b\/""#, #""\u0001\u001f\b/""#),
    Case(bytes: [0x22, 0xE2, 0x82, 0x41, 0xFF, 0x22], "\"\u{FFFD}\u{FFFD}A\u{FFFD}\""),
    Case(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], "\"\u{FFFD}\u{FFFD}\u{FFFD}\""),
    Case("1e-400", "1e-400"),
    Case("-0", "-0"),
    Case("1e400", nil),
    Case("01", nil),
    Case("[1,]", nil),
    Case("\"a\tb\"", nil),
    Case(#""\x""#, nil),
    Case("\u{FEFF}{}", nil),
    Case("{} {}", nil),
    Case("", nil),
  ]

  @Test(arguments: cases)
  func readsAsWorkedOut(_ c: Case) {
    switch ReferenceJSON.parse(c.input, maxDepth: 512) {
    case .success(let value): #expect(String(decoding: value.minified, as: UTF8.self) == c.printed)
    case .failure: #expect(c.printed == nil)
    }
  }

  @Test func depthLimitCountsContainers() {
    #expect((try? ReferenceJSON.parse(Array("[[]]".utf8), maxDepth: 2).get()) != nil)
    #expect(ReferenceJSON.parse(Array("[[[]]]".utf8), maxDepth: 2) == .failure(.tooDeep(at: 2)))
  }
}

/// The reference reading of specifiers the FuzzSpecifier oracle trusts, checked by hand.
@Suite struct ReferenceSpecifierTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let text: String
    /// The decoded type values (nil for `*`), or nil with `valid` false for an error.
    let types: [String]?
    let valid: Bool
    var testDescription: String { text }
  }

  static let cases: [Case] = [
    Case(text: "a.b.c", types: ["a"], valid: true),
    Case(text: #"a\1b,x\2y\3.b.c"#, types: ["a.b", "x,y*"], valid: true),
    Case(text: "*.*.*", types: nil, valid: true),
    Case(text: #"*.*.*.Type=Eq("a.b")"#, types: nil, valid: true),
    Case(text: "a*b.c.d", types: ["a*b"], valid: true),
    Case(text: "a..c", types: nil, valid: false),
    Case(text: "a,*.b.c", types: nil, valid: false),
    Case(text: "a,,b.c.d", types: nil, valid: false),
    Case(text: "a.b.c.", types: nil, valid: false),
    Case(text: "a.b", types: nil, valid: false),
    Case(text: "a b.c.d", types: nil, valid: false),
    Case(text: "a\u{A0}b.c.d", types: nil, valid: false),
    Case(text: #"a\4.b.c"#, types: nil, valid: false),
    Case(text: #"a\.b.c"#, types: nil, valid: false),
    Case(text: "a.b.c.d", types: nil, valid: false),
  ]

  @Test(arguments: cases)
  func readsAsWorkedOut(_ c: Case) {
    switch ReferenceSpecifier.parse(Array(c.text.utf8)) {
    case .success(let specifier):
      #expect(c.valid)
      #expect(specifier.types == (c.types.map { .values($0) } ?? .any))
    case .failure:
      #expect(!c.valid)
    }
  }
}
