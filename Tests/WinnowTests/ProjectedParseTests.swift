import Foundation
import Testing

@testable import Winnow

/// What a stream filter made of one line: matched or not, or the error it reported.
private enum LineOutcome: Equatable, CustomStringConvertible {
  case matched(Bool)
  case error(Diagnostic)

  init(_ tester: NDJSONEventFilter, _ line: [UInt8]) {
    var reported: Diagnostic? = nil
    let matched = line.withUnsafeBufferPointer { bytes in
      tester.test(bytes) { reported = $0.diagnostic }
    }
    self = reported.map { .error($0) } ?? .matched(matched)
  }

  var description: String {
    switch self {
    case .matched(let held): "matched(\(held))"
    case .error(let d): "error(\(d.code) at \(d.offset): \(d.message))"
    }
  }
}

/// A matcher under test: the stream filter `winnow match` builds (with its projection), and
/// the same predicate parsing every line in full.
private struct MatcherPair {
  let name: String
  let projected: NDJSONEventFilter
  let full: NDJSONEventFilter

  init(_ name: String, _ projected: NDJSONEventFilter) {
    self.name = name
    self.projected = projected
    full = NDJSONEventFilter(limits: projected.limits, predicate: projected.predicate)
  }

  /// The pair for specifiers, with their projection even where `winnow match` would not use
  /// it (when it keeps `Object`), so that every projection is checked.
  init(specifiers texts: [String], limits: JSONLimits = JSONLimits()) {
    let specifiers = texts.map { try! EventSpecifier(parsing: $0) }
    let stream = NDJSONEventFilter(specifiers: specifiers, limits: limits)
    let projection = MemberProjection.event(specifiers: specifiers)
    precondition(projection != nil)
    self.init(
      texts.joined(separator: " "),
      NDJSONEventFilter(limits: limits, projection: projection, predicate: stream.predicate))
  }

  /// Records an issue when the two disagree on `line`.
  func check(_ line: [UInt8], _ label: @autoclosure () -> String) {
    let projectedOutcome = LineOutcome(projected, line)
    let fullOutcome = LineOutcome(full, line)
    if projectedOutcome != fullOutcome {
      Issue.record(
        "\(name) on \(label()): projected \(projectedOutcome), full \(fullOutcome); line \(String(decoding: line, as: UTF8.self).debugDescription)"
      )
    }
  }
}

/// A line written to probe the skipper or the projection, named for the report.
struct ProjectionLineCase: Sendable, CustomTestStringConvertible {
  let name: String
  let line: [UInt8]
  var testDescription: String { name }

  init(_ name: String, _ text: String) {
    self.name = name
    line = Array(text.utf8)
  }

  init(_ name: String, bytes: [UInt8]) {
    self.name = name
    line = bytes
  }
}

/// The projected parse of `winnow match` (only the top-level members the matcher reads get tape
/// nodes; the others are skipped by a validating skipper) gives the same match decision and
/// the same error, code and offset and message, as parsing every line in full.
@Suite struct ProjectedParseTests {
  static let workloads = [
    #"Type=Eq("machines")"#, #"Object.Stage=Eq("discover")"#,
    #"And(Type=In("machines","jobs"),Object.Runnable=Eq(true),Object.Params.bar=Exists())"#,
    #"Object.Name=Re("^node-[0-9]+\\.lab$")"#,
    #"Or(Not(Action=Nin("save","update")),Object.WorkflowComplete=Eq(true))"#,
    #"Stage=Changed(,"complete")"#,
  ]

  private static func matchers() -> [MatcherPair] {
    var pairs = workloads.map { MatcherPair(specifiers: ["*.*.*." + $0]) }
    pairs += [
      MatcherPair(specifiers: ["machines.*.*", "jobs.update.*", "*.*.*.Meta.x=Eq(1)"]),
      MatcherPair(specifiers: ["machine_jobs.*.*", "work_order_jobs.create.*"]),
      MatcherPair(specifiers: ["*.*.*.Skip=Exists()", "*.*.*.Original.Stage=Eq(\"x\")"]),
      MatcherPair(specifiers: ["*.*.*." + workloads[0]], limits: JSONLimits(maxDepth: 3)),
      MatcherPair(specifiers: ["*.*.*." + workloads[1]], limits: JSONLimits(maxDepth: 4)),
      MatcherPair(specifiers: ["*.*.*." + workloads[2]], limits: JSONLimits(maxDepth: 3)),
      // Nested projections: paths through arrays, pointers, whole values beside their members.
      MatcherPair(specifiers: ["*.*.*.Object.Params.bar=Exists()"]),
      MatcherPair(specifiers: ["*.*.*.Object.0=Eq(1)", "*.*.*.Object.Stage.0=Eq(\"x\")"]),
      MatcherPair(specifiers: ["*.*.*./Object/Params/a~1b=Eq(2)"]),
      MatcherPair(specifiers: [#"*.*.*.And(Object.Stage=Exists(),Object.Params=Eq({"bar":1}))"#]),
      MatcherPair(specifiers: [
        "*.*.*.Not(Object.Stage=Ne(\"x\"))", "*.*.*.Object.Stage.Name=Exists()",
      ]),
      MatcherPair(specifiers: ["*.*.*.Object.Name=Re(\"^node\")", "machine_jobs.*.*"]),
      MatcherPair(specifiers: ["*.*.*.#=Changed()"]),
      MatcherPair(specifiers: ["*.*.*.Params.bar=Changed(1,)"]),
      MatcherPair(
        "Type filter", NDJSONEventFilter(filter: try! Filter(parsing: workloads[0]).compiled())),
    ]
    return pairs
  }

  /// Valid event lines: the examples, the conformance corpus's events and random events.
  static let corpus: [[UInt8]] = {
    let examples = ConformanceCorpus.grammarDirectory.appendingPathComponent(
      "examples/events.ndjson")
    var lines = (try! Data(contentsOf: examples)).split(separator: 0x0A).map { Array($0) }
    for c in ConformanceCorpus.cases {
      switch c.subject {
      case .event(let bytes): lines.append(bytes)
      case .events(let events): lines += events
      default: break
      }
    }
    var random = RandomJSON(seed: 15)
    for _ in 0..<300 {
      var bytes: [UInt8] = []
      random.event().write(to: &bytes)
      lines.append(bytes)
    }
    return lines
  }()

  static let handWritten: [ProjectionLineCase] = {
    var cases: [ProjectionLineCase] = []
    // Values of a skipped member (and, in the same places, of a projected one).
    let values: [(String, String)] = [
      ("null", "null"), ("true", "true"), ("false", "false"), ("tru", "tru"), ("nul", "nul"),
      ("truex", "truex"), ("zero", "0"), ("minus zero", "-0"), ("fraction", "1.25"),
      ("exponent", "1e5"), ("big exponent", "1e400"), ("exponent sign", "1E+2"),
      ("bad exponent", "1e"), ("leading zero", "01"), ("lone minus", "-"), ("dot", "1."),
      ("leading dot", ".5"), ("minus dot", "-.5"), ("plus", "+1"),
      ("long integer", String(repeating: "9", count: 320)),
      ("long fraction", "0." + String(repeating: "1", count: 400)),
      ("string", #""a b""#), ("escapes", #""\"\\\/\b\f\n\r\t""#),
      ("unicode", #""\u00e9\uD83D\uDE00""#),
      ("lone surrogate", #""\uD800""#), ("short unicode", #""\u12""#), ("bad hex", #""\u12G4""#),
      ("bad escape", #""\x""#), ("escape at end", #""\"#), ("unterminated", #""abc"#),
      ("empty array", "[]"), ("empty object", "{}"), ("spaced", "[ 1 , { \"a\" : null } ]"),
      ("trailing comma", "[1,]"), ("leading comma", "[,1]"), ("missing value", #"{"a":}"#),
      ("missing colon", #"{"a" 1}"#), ("key not string", "{1:2}"), ("mismatched", "[1}"),
      ("mismatched object", #"{"a":1]"#), ("unclosed", "[[1]"), ("extra close", "[1]]"),
      ("object in array", #"[{"a":[true,false,null]},"x"]"#),
      ("JSON in a string", #""{\"Type\":\"machines\"}""#), ("tab", "\t[1]"), ("CR", "[1\r]"),
      ("nothing", ""), ("bare word", "x"),
    ]
    for (name, value) in values {
      cases.append(.init("skipped \(name)", #"{"Type":"machines","Skip":"# + value + "}"))
      cases.append(.init("skipped \(name) first", #"{"Skip":"# + value + #","Type":"machines"}"#))
      cases.append(.init("Object \(name)", #"{"Type":"machines","Object":"# + value + "}"))
      cases.append(.init("Type \(name)", #"{"Type":"# + value + "}"))
    }
    // Nesting at and past the depth limit (512), inside a skipped member and a projected one.
    for depth in [63, 64, 65, 510, 511, 512, 513, 5000] {
      let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
      cases.append(.init("skipped nesting \(depth)", #"{"Type":"machines","Skip":"# + nested + "}"))
      cases.append(
        .init("Object nesting \(depth)", #"{"Type":"machines","Object":"# + nested + "}"))
      let objects =
        String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
      cases.append(
        .init("skipped objects \(depth)", #"{"Type":"machines","Skip":"# + objects + "}"))
      cases.append(
        .init(
          "unclosed nesting \(depth)",
          #"{"Type":"machines","Skip":"# + String(repeating: "[", count: depth) + "}"))
    }
    for depth in 1...5 {
      let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
      cases.append(.init("small nesting \(depth)", #"{"Type":"machines","Skip":"# + nested + "}"))
      cases.append(.init("small Object nesting \(depth)", #"{"Object":{"Stage":"# + nested + "}}"))
    }
    // Escapes and control bytes at and around the 16- and 32-byte steps of the string scans.
    let escapes = [#"\""#, #"\\"#, #"\u00e9"#, #"\uD83D"#, #"\x"#, #"\u12G4"#, "\u{01}", "\t", "é"]
    for offset in [0, 1, 12, 13, 14, 15, 16, 17, 29, 30, 31, 32, 33] {
      for escape in escapes {
        let text =
          String(repeating: "a", count: offset) + escape + String(repeating: "b", count: 20)
        for tail in ["\"", #"\"\"#, ""] {
          cases.append(
            .init(
              "string \(escape.debugDescription) at \(offset)\(tail == "\"" ? "" : " unterminated")",
              #"{"Type":"machines","Skip":""# + text + tail + "}"))
        }
      }
    }
    // Members of Object beside the selected ones.
    for (name, value) in values {
      cases.append(
        .init(
          "Object member \(name)",
          #"{"Type":"machines","Object":{"Skip":"# + value + #","Stage":"x"}}"#))
      cases.append(.init("Stage \(name)", #"{"Object":{"Name":"a","Stage":"# + value + "}}"))
      cases.append(
        .init("Params member \(name)", #"{"Object":{"Params":{"bar":1,"Skip":"# + value + "}}}"))
      cases.append(
        .init(
          "Original member \(name)",
          #"{"Object":{"Stage":"complete"},"Original":{"Skip":"# + value + #","Stage":"x"}}"#))
    }
    cases += [
      .init("duplicate Stage", #"{"Object":{"Stage":"discover","Skip":1,"Stage":"x"}}"#),
      .init(
        "duplicate Stage, last matches", #"{"Object":{"Stage":"x","Skip":[1],"Stage":"discover"}}"#),
      .init(
        "duplicate Object, projected",
        #"{"Object":{"Stage":"discover","Skip":1},"Object":{"Skip":2}}"#),
      .init("Object array", #"{"Object":[1,{"Stage":"discover"}],"Type":"machines"}"#),
      .init("Object array with an element", #"{"Object":[1],"Type":"machines"}"#),
      .init("Object string", #"{"Object":"discover","Type":"machines"}"#),
      .init("Object null", #"{"Object":null,"Original":{"Stage":"complete"}}"#),
      .init("Stage array", #"{"Object":{"Stage":["x"],"Skip":{}}}"#),
      .init("Stage object", #"{"Object":{"Stage":{"Name":"discover","0":"x"},"Skip":{}}}"#),
      .init("Params array", #"{"Object":{"Params":[{"bar":1}],"Skip":{}}}"#),
      .init(
        "Params with bar null",
        #"{"Object":{"Runnable":true,"Params":{"x":[1],"bar":null}},"Type":"jobs"}"#),
      .init("Params whole", #"{"Object":{"Stage":"a","Params":{"bar":1}}}"#),
      .init("Params whole, more members", #"{"Object":{"Stage":"a","Params":{"bar":1,"x":2}}}"#),
      .init("pointer member", #"{"Object":{"Params":{"a/b":2,"a":{"b":1}}}}"#),
      .init("escaped Stage key", #"{"Object":{"St\u0061ge":"discover","Skip":1}}"#),
      .init("escaped Params key", #"{"Object":{"P\u0061rams":{"bar":1,"x":[}}}"#),
      .init("escaped skipped key in Object", #"{"Object":{"Sk\u0069p":[1,],"Stage":"x"}}"#),
      .init("Object index member", #"{"Object":{"0":1,"Skip":[]}}"#),
      .init(
        "Changed from Params",
        #"{"Object":{"Params":{"bar":2}},"Original":{"Params":{"bar":1,"x":1}}}"#),
      .init("Changed whole", #"{"Object":{"a":1,"b":2},"Original":{"b":2,"a":1}}"#),
      .init(
        "job references",
        #"{"Type":"jobs","Object":{"Skip":{"Machine":"x"},"Machine":"m1","WorkOrder":"w"}}"#),
      .init("job reference not a string", #"{"Type":"jobs","Object":{"Machine":["m1"],"Skip":1}}"#),
      .init(
        "exponents in Object",
        #"{"Object":{"a":1e300,"b":-2.5E-400,"c":1e301,"d":12e299,"Stage":"x"}}"#),
      .init("big exponent in Object", #"{"Object":{"a":1e309,"Stage":"x"}}"#),
      .init("long exponent in Object", #"{"Object":{"a":1e00000000000000000000001,"Stage":"x"}}"#),
      .init(
        "whitespace in Object",
        " {\"Object\" : { \"Skip\" : [ 1 , { } ] ,\t\"Stage\" :\r\n\"discover\" } } "),
      .init("duplicate projected key", #"{"Type":"jobs","Skip":1,"Type":"machines"}"#),
      .init("duplicate projected key, later wrong kind", #"{"Type":"machines","Skip":1,"Type":5}"#),
      .init(
        "duplicate projected key, earlier wrong kind", #"{"Type":5,"Skip":1,"Type":"machines"}"#),
      .init("duplicate skipped key", #"{"Skip":[1],"Type":"machines","Skip":{"a":2}}"#),
      .init(
        "duplicate Object", #"{"Object":{"Stage":"discover"},"Skip":1,"Object":{"Stage":"x"}}"#),
      .init("escaped projected key", #"{"T\u0079pe":"machines","Skip":1}"#),
      .init("escaped key with a wrong kind", #"{"Typ\u0065":5,"Skip":1}"#),
      .init("escaped skipped key", #"{"Sk\u0069p":[1,],"Type":"machines"}"#),
      .init("escaped Object key", #"{"\u004Fbject":{"Stage":"discover"}}"#),
      .init("whitespace everywhere", " { \"Type\" :\t\"machines\" ,\r\n\"Skip\" : [ 1 ,2 ] } "),
      .init("whitespace before skipped value", #"{"Type":"machines","Skip":   {"a" : [ ] } }"#),
      .init("empty object", "{}"), .init("array root", #"[{"Type":"machines"}]"#),
      .init("string root", #""Type""#), .init("number root", "1"),
      .init("trailing text", #"{"Type":"machines","Skip":1} x"#),
      .init("extra close", #"{"Type":"machines","Skip":1}}"#),
      .init("missing close", #"{"Type":"machines","Skip":1"#),
      .init("trailing comma", #"{"Type":"machines","Skip":1,}"#),
      .init("missing comma", #"{"Type":"machines" "Skip":1}"#),
      .init(
        "Changed",
        #"{"Type":"machines","Object":{"Stage":"complete"},"Original":{"Stage":"x"},"Skip":[]}"#),
      .init("Changed, Original null", #"{"Object":{"Stage":"complete"},"Original":null}"#),
      .init(
        "job reference", #"{"Type":"jobs","Object":{"Machine":"m1","WorkOrder":"w"},"Skip":1}"#),
      .init("byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"Type":"machines"}"#.utf8)),
      .init(
        "invalid UTF-8 in a skipped string",
        bytes: Array(#"{"Type":"machines","Skip":""#.utf8) + [0xFF, 0xC3, 0x28, 0x80]
          + Array(#""}"#.utf8)),
      .init(
        "invalid UTF-8 in Type",
        bytes: Array(#"{"Type":"mach"#.utf8) + [0xFF] + Array(#"ines"}"#.utf8)),
      .init(
        "invalid UTF-8 in a skipped key",
        bytes: Array(#"{""#.utf8) + [0xFE] + Array(#"":1,"Type":"machines"}"#.utf8)),
      .init(
        "invalid UTF-8 outside strings",
        bytes: Array(#"{"Type":"machines","Skip":"#.utf8) + [0xFF] + Array("}".utf8)),
      .init(
        "control byte in a skipped string",
        bytes: Array(#"{"Type":"machines","Skip":"a"#.utf8) + [0x01] + Array(#""}"#.utf8)),
      .init(
        "DEL in a skipped string",
        bytes: Array(#"{"Type":"machines","Skip":"a"#.utf8) + [0x7F] + Array(#""}"#.utf8)),
      .init(
        "NUL in a skipped key",
        bytes: Array(#"{"a"#.utf8) + [0x00] + Array(#"":1,"Type":"machines"}"#.utf8)),
      .init(
        "newline in Type", bytes: Array(#"{"Type":"mach"#.utf8) + [0x0A] + Array(#"ines"}"#.utf8)),
    ]
    return cases
  }()

  @Test(arguments: handWritten)
  func handWrittenLines(_ c: ProjectionLineCase) {
    for pair in Self.matchers() { pair.check(c.line, c.name) }
  }

  @Test func validCorpus() {
    let pairs = Self.matchers()
    for (n, line) in Self.corpus.enumerated() {
      for pair in pairs { pair.check(line, "corpus line \(n)") }
    }
  }

  /// Every corpus line truncated, and with single bytes replaced or removed, at spread-out
  /// offsets.
  @Test func mutatedCorpus() {
    let pairs = Self.matchers()
    let replacements: [UInt8] = [
      0x00, 0x1F, 0x20, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x30, 0x2D, 0x65, 0x2E,
      0x75, 0xFF, 0xC3, 0x80, 0x74, 0x78,
    ]
    var rng = SeededGenerator(seed: 1515)
    for (n, line) in Self.corpus.enumerated() where !line.isEmpty {
      let step = max(1, line.count / 12)
      for offset in stride(from: 0, to: line.count, by: step) {
        let jitter = min(line.count - 1, offset + Int.random(in: 0..<step, using: &rng))
        var variants: [[UInt8]] = [Array(line[..<jitter])]
        var removed = line
        removed.remove(at: jitter)
        variants.append(removed)
        for _ in 0..<3 {
          var replaced = line
          replaced[jitter] = replacements[Int.random(in: 0..<replacements.count, using: &rng)]
          variants.append(replaced)
        }
        for variant in variants {
          for pair in pairs { pair.check(variant, "corpus line \(n) mutated at \(jitter)") }
        }
      }
    }
  }

  /// The projection really skips: on the examples, the projected tapes of W1 (top-level
  /// members) and W2 and W6 (members of Object and Original) are shorter, and the projected
  /// parse declines no line.
  @Test(arguments: [0, 1, 5])
  func theProjectionSkipsMembers(workload: Int) throws {
    let filter = NDJSONEventFilter(specifiers: [
      try EventSpecifier(parsing: "*.*.*." + Self.workloads[workload])
    ])
    let projection = try #require(filter.projection)
    #expect(
      projection.names.map { String(decoding: $0, as: UTF8.self) }.filter {
        $0 != "Object" && $0 != "Original"
      } == ["Action", "Key", "Principal", "Time", "Type"])
    let builder = JSONTapeBuilder()
    let examples = ConformanceCorpus.grammarDirectory.appendingPathComponent(
      "examples/events.ndjson")
    var fullTotal = 0
    var projectedTotal = 0
    for line in (try Data(contentsOf: examples)).split(separator: 0x0A).map({ Array($0) }) {
      try line.withUnsafeBufferPointer { bytes throws(Diagnostic) in
        try builder.parseDocument(bytes)
        let full = builder.tapeCount
        try builder.parseDocument(bytes, projection: projection.keys)
        // Every example has members W1 skips; not every one has members of Object to skip.
        if workload == 0 {
          #expect(builder.tapeCount < full)
        } else {
          #expect(builder.tapeCount <= full)
        }
        fullTotal += full
        projectedTotal += builder.tapeCount
      }
    }
    #expect(projectedTotal < fullTotal * 3 / 4)
  }

  struct ProjectionCase: Sendable, CustomTestStringConvertible {
    let specifiers: [String]
    /// The projected paths (``MemberProjection/paths``), or nil for no projection (full parses).
    let names: [String]?
    var testDescription: String { specifiers.joined(separator: " ") }
  }

  static let strings = ["Action", "Key", "Principal", "Time", "Type"]

  static let projections: [ProjectionCase] = [
    .init(specifiers: ["machines.*.*"], names: strings),
    .init(
      specifiers: ["*.*.*.Object.Stage=Eq(\"x\")"],
      names: ["Action", "Key", "Object.Stage", "Principal", "Time", "Type"]),
    .init(
      specifiers: ["*.*.*.Stage=Changed()"],
      names: ["Action", "Key", "Object.Stage", "Original.Stage", "Principal", "Time", "Type"]),
    .init(
      specifiers: ["*.*.*.#=Changed()"],
      names: ["Action", "Key", "Object", "Original", "Principal", "Time", "Type"]),
    .init(
      specifiers: ["machine_jobs.*.*"],
      names: ["Action", "Key", "Object.Machine", "Object.WorkOrder", "Principal", "Time", "Type"]),
    .init(
      specifiers: ["work_order_jobs.*.*", "*.*.*./Meta/0=Exists()"],
      names: [
        "Action", "Key", "Meta.0", "Object.Machine", "Object.WorkOrder", "Principal", "Time",
        "Type",
      ]),
    .init(
      specifiers: [#"*.*.*.And(Object.Params.bar=Exists(),Object.Params=Eq({}))"#],
      names: ["Action", "Key", "Object.Params", "Principal", "Time", "Type"]),
    .init(
      specifiers: ["*.*.*.Object.Params.bar=Exists()", "*.*.*.Object=Exists()"],
      names: ["Action", "Key", "Object", "Principal", "Time", "Type"]),
    .init(
      specifiers: ["*.*.*.Object=Exists()", "*.*.*.Object.Params.bar=Exists()"],
      names: ["Action", "Key", "Object", "Principal", "Time", "Type"]),
    .init(
      specifiers: ["*.*.*.Or(Object.a.c=Exists(),a.b=Changed(),Original.a=Exists())"],
      names: [
        "Action", "Key", "Object.a.b", "Object.a.c", "Original.a", "Principal", "Time", "Type",
      ]),
    .init(specifiers: ["*.*.*.#=Exists()"], names: nil),
    .init(specifiers: ["machines.*.*", "*.*.*.Not(#=Eq(1))"], names: nil),
  ]

  @Test(arguments: projections)
  func projectedNames(_ c: ProjectionCase) throws {
    let specifiers = try c.specifiers.map { try EventSpecifier(parsing: $0) }
    let projection = MemberProjection.event(specifiers: specifiers)
    #expect(projection?.paths == c.names)
    // The stream uses a projection unless it keeps Object whole.
    let used = NDJSONEventFilter(specifiers: specifiers).projection
    #expect((used != nil) == (c.names.map { !$0.contains("Object") } ?? false))
  }

  /// The skipper accepts a value only when the full parser does (and accepts the plain ones).
  @Test(arguments: handWritten)
  func skipperNeverAcceptsMore(_ c: ProjectionLineCase) {
    c.line.withUnsafeBufferPointer { bytes in
      let base = bytes.baseAddress!
      for start in 0..<bytes.count {
        let end = JSONSkipper.skipValue(base, bytes.count, from: start, depth: 1, maxDepth: 512)
        guard end >= 0 else { continue }
        let value = Array(bytes[start..<end])
        let document = Array(#"{"k":"#.utf8) + value + Array("}".utf8)
        #expect(
          (try? JSONDocument(parsing: document)) != nil,
          "accepted \(String(decoding: value, as: UTF8.self).debugDescription)")
      }
    }
  }
}

/// A container for the block-wise skip (`winnow_skip_container`): it classifies 64 bytes a
/// step, so each body is also tried shifted by 0 to 64 bytes of padding inside it, which moves
/// every escape, quote and bracket across the block boundaries.
struct BlockSkipCase: Sendable, CustomTestStringConvertible {
  let name: String
  let body: [UInt8]
  /// Valid compact JSON the block skip must decide itself (not decline).
  let decided: Bool
  var testDescription: String { name }

  init(_ name: String, _ text: String, decided: Bool = false) {
    self.name = name
    body = Array(text.utf8)
    self.decided = decided
  }

  init(_ name: String, bytes: [UInt8]) {
    self.name = name
    body = bytes
    decided = false
  }

  /// The body with `count` bytes of padding after its opening bracket (a member or element
  /// before the original first one; an invalid body stays invalid).
  func padded(_ count: Int) -> [UInt8] {
    guard count > 0, let open = body.first, open == UInt8(ascii: "{") || open == UInt8(ascii: "[")
    else { return body }
    let filler = Array(String(repeating: "p", count: count).utf8)
    let isEmpty = body.count == 2 && body[1] == open + 2
    let entry: [UInt8] =
      open == UInt8(ascii: "{")
      ? [0x22] + filler + Array(#"":0"#.utf8) : [0x22] + filler + [0x22]
    return [open] + entry + (isEmpty ? [] : [UInt8(ascii: ",")]) + body[1...]
  }
}

extension ProjectedParseTests {
  static let blockBodies: [BlockSkipCase] = {
    let deep64 = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    let objects63 =
      String(repeating: #"{"a":"#, count: 63) + "[]" + String(repeating: "}", count: 63)
    var cases: [BlockSkipCase] = [
      .init("members", #"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-2.5e-3}"#, decided: true),
      .init("elements", #"[1,-2.5E+3,"x",{},[],0,true,null,"",{"":""}]"#, decided: true),
      .init("brackets in strings", #"{"a":"}]{[,:","b":["]","[",":",","]}"#, decided: true),
      .init("quotes escaped", #"{"a\"b":"\"","c":["\\","\\\"","\\\\\""]}"#, decided: true),
      .init("escapes", #"{"e":"\/\b\f\n\r\t\u00e9\uD83D\uDE00\uDBFF"}"#, decided: true),
      .init("non-ASCII", #"{"é":"日本","x":["ü"]}"#, decided: true),
      .init(
        "long string", #"{"t":""# + String(repeating: "abc\\\"", count: 40) + #"","u":1}"#,
        decided: true),
      .init("names like values", #"{"a":":","b":",","c":"{"}"#, decided: true),
      .init("nested", #"{"a":{"b":{"c":[{"d":[[]]}]}},"e":[{},{"f":[1,{"g":2}]}]}"#, decided: true),
      .init("empty object", "{}", decided: true), .init("empty array", "[]", decided: true),
      .init("nesting 64", deep64, decided: true),
      .init("objects 64 deep", objects63, decided: true),
      .init("nesting 65", "[" + deep64 + "]"),
      .init("whitespace", #"{"a": 1, "b" : [ 1 ,2 ] }"#),
      .init("tab inside", "[1,\t2]"), .init("newline inside", "[1\n]"),
      .init("trailing comma", #"{"a":1,}"#), .init("array trailing comma", "[1,]"),
      .init("leading comma", #"{,"a":1}"#), .init("array leading comma", "[,1]"),
      .init("double comma", "[1,,2]"), .init("name without value", #"{"a"}"#),
      .init("name and colon only", #"{"a":}"#), .init("two colons", #"{"a"::1}"#),
      .init("value colon", #"{"a":1:2}"#), .init("string value colon", #"{"a":"b":"c"}"#),
      .init("colon in array", #"["a":1]"#), .init("colon first in array", "[:1]"),
      .init("names without values", #"{"a","b"}"#), .init("number name", "{1:2}"),
      .init("value where a name goes", #"{"a":1,2}"#),
      .init("last name without value", #"{"a":1,"b"}"#),
      .init("object in object", #"{{}}"#), .init("array in object", #"{[]}"#),
      .init("mismatched", "[}"), .init("mismatched object", "{]"),
      .init("mismatched inner", #"{"a":[}]}"#),
      .init("unclosed", "[[1]"), .init("unclosed string", #"["abc]"#),
      .init("adjacent strings", #"["a""b"]"#), .init("adjacent containers", "[[]{}]"),
      .init("value after object", #"{"a":{}"b":1}"#), .init("value after number", #"{"a":1"b":2}"#),
      .init("number after string", #"["a"1]"#), .init("string after close", #"[[]"a"]"#),
      .init(
        "plain scalars", "[0,7,10,123456789012345678901234567890,true,false,null,-0,1.5]",
        decided: true),
      .init("one-letter literals", "[t]"), .init("f", "[f,1]"), .init("n", #"{"a":n}"#),
      .init("digits then a letter", "[12a]"), .init("literal then a digit", "[true1]"),
      .init("falsey", "[falsey]"), .init("nulls", #"{"a":nulls}"#),
      .init("literal typo", "[tru]"), .init("literal tail", "[truex]"), .init("nul", "[nul]"),
      .init("False", "[False]"), .init("leading zero", "[01]"), .init("dot", "[1.]"),
      .init("lone minus", "[-]"), .init("plus", "[+1]"), .init("bad exponent", "[1e]"),
      .init("exponent sign only", "[1e+]"), .init("big exponent", "[1e400]"),
      .init("long number", "[" + String(repeating: "9", count: 320) + "]"),
      .init("bad escape", #"["\x"]"#), .init("short unicode", #"["\u12"]"#),
      .init("bad hex", #"["\u12G4"]"#), .init("escape at end", #"["\"]"#),
      .init("backslash outside", #"[\"a"]"#), .init("backslash before value", #"[\1]"#),
      .init("control in string", bytes: Array(#"["a"#.utf8) + [0x01] + Array(#""]"#.utf8)),
      .init("NUL in name", bytes: Array(#"{"a"#.utf8) + [0x00] + Array(#"":1}"#.utf8)),
      .init("control outside", bytes: Array(#"["a""#.utf8) + [0x01] + Array("]".utf8)),
      .init("non-ASCII outside", bytes: Array("[".utf8) + [0xC3, 0xA9] + Array("]".utf8)),
      .init(
        "invalid UTF-8 in a string", bytes: Array(#"["a"#.utf8) + [0xFF, 0xC3] + Array(#""]"#.utf8)),
      .init("DEL in a string", bytes: Array(#"["a"#.utf8) + [0x7F] + Array(#""]"#.utf8)),
    ]
    // Runs of backslashes before a quote: even runs end the string there, odd ones do not.
    for run in 1...6 {
      let slashes = String(repeating: "\\", count: run)
      cases.append(.init("\(run) backslashes before a quote", #"{"a":"x"# + slashes + #"","b":1}"#))
      cases.append(.init("\(run) backslashes then a bracket", #"["x"# + slashes + #"]"]"#))
    }
    return cases
  }()

  /// Each body (padded by 0...64 bytes) as the value of `Object`, which W1 skips whole and W2
  /// projects, in a line that ends right after it and in one with a long member after it: the
  /// projected parse decides as the full one.
  @Test(arguments: blockBodies)
  func blockSkipLines(_ c: BlockSkipCase) {
    let pairs = Self.matchers()
    let after = Array((#","Zed":""# + String(repeating: "z", count: 70) + #""}"#).utf8)
    for padding in 0...64 {
      let body = c.padded(padding)
      let head = Array(#"{"Type":"machines","Object":"#.utf8)
      for line in [head + body + Array("}".utf8), head + body + after] {
        for pair in pairs { pair.check(line, "\(c.name) padded by \(padding)") }
      }
    }
  }

  /// The block skip at each instruction set this processor has, against the full parser: it
  /// accepts a container only where the full parser does, ending where it ends, and decides
  /// every compact valid one itself; and every instruction set gives the same answer.
  @Test(arguments: blockBodies)
  func blockSkipAgreesWithTheParser(_ c: BlockSkipCase) {
    let room = 64
    for padding in 0...64 {
      let body = c.padded(padding)
      for suffix in [[], Array(#","k":1}"#.utf8)] {
        let line = Array(#"{"Object":"#.utf8) + body + suffix
        let start = 10
        line.withUnsafeBufferPointer { bytes in
          let p = bytes.baseAddress!
          var writer = TapeWriter()
          defer { writer.deallocate() }
          let expected = try? writer.parse(p, count: bytes.count, from: start, maxDepth: room)
          var answers: [Int] = []
          for level in 0...JSONSkipper.containerSkipLevel {
            let end = JSONSkipper.skipContainer(
              p, bytes.count, from: start, room: room, level: level)
            answers.append(end)
            if end >= 0 {
              #expect(end == expected, "\(c.name) padded by \(padding), level \(level)")
            } else if c.decided {
              Issue.record("\(c.name) padded by \(padding) declined at level \(level)")
            }
          }
          #expect(Set(answers).count == 1, "\(c.name) padded by \(padding): \(answers)")
        }
      }
    }
  }
}
