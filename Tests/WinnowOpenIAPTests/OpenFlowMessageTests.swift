import Testing
import Winnow

@testable import WinnowOpenIAP

/// A text frame and the message it must parse to, or the error.
struct OpenFlowParseCase: Sendable, CustomTestStringConvertible {
  let name: String
  let frame: String
  let message: OpenFlowMessage?
  let error: String?
  var testDescription: String { name }

  init(_ name: String, _ frame: String, _ message: OpenFlowMessage) {
    self.name = name
    self.frame = frame
    self.message = message
    error = nil
  }

  init(_ name: String, _ frame: String, error: String) {
    self.name = name
    self.frame = frame
    message = nil
    self.error = error
  }
}

@Suite struct OpenFlowMessageTests {
  static let parseCases: [OpenFlowParseCase] = [
    OpenFlowParseCase(
      "all members",
      #"{"id":"a1","replyto":"r","command":"ping","data":"{}","count":1,"index":0,"priority":2}"#,
      OpenFlowMessage(id: "a1", replyTo: "r", command: "ping", data: "{}", priority: 2)),
    OpenFlowParseCase(
      "count and index as strings",
      #"{"id":"a","command":"watch","data":"x","count":"3","index":"2"}"#,
      OpenFlowMessage(id: "a", command: "watch", data: "x", count: 3, index: 2, priority: nil)),
    OpenFlowParseCase(
      "count and index as numbers, written as floats",
      #"{"id":"a","command":"c","data":"x","count":3.0,"index":1e0}"#,
      OpenFlowMessage(id: "a", command: "c", data: "x", count: 3, index: 1, priority: nil)),
    OpenFlowParseCase(
      "missing count and index: one chunk", #"{"id":"a","command":"ping"}"#,
      OpenFlowMessage(id: "a", command: "ping", data: nil, priority: nil)),
    OpenFlowParseCase(
      "null replyto and data", #"{"id":"a","replyto":null,"command":"ping","data":null}"#,
      OpenFlowMessage(id: "a", command: "ping", data: nil, priority: nil)),
    OpenFlowParseCase(
      "a numeric id kept as written", #"{"id":17,"command":"ping"}"#,
      OpenFlowMessage(id: "17", command: "ping", data: nil, priority: nil)),
    OpenFlowParseCase(
      "data sent as an object is taken as its JSON",
      #"{"id":"a","command":"signin","data":{"jwt":"t"}}"#,
      OpenFlowMessage(id: "a", command: "signin", data: #"{"jwt":"t"}"#, priority: nil)),
    OpenFlowParseCase(
      "no command is parsed (the session answers the error)", #"{"id":"a","data":"{}"}"#,
      OpenFlowMessage(id: "a", command: nil, data: "{}", priority: nil)),
    OpenFlowParseCase("not JSON", #"{"id":"#, error: "message is not JSON"),
    OpenFlowParseCase(
      "not an object", #"["ping"]"#, error: "message is a JSON array, not an object"),
    OpenFlowParseCase("count zero", #"{"id":"a","count":0}"#, error: "count must be at least 1"),
    OpenFlowParseCase(
      "index past count", #"{"id":"a","count":2,"index":2}"#, error: "index 2 is outside 0..<2"),
    OpenFlowParseCase(
      "negative index", #"{"id":"a","count":2,"index":-1}"#, error: "index -1 is outside 0..<2"),
    OpenFlowParseCase(
      "fractional count", #"{"id":"a","count":1.5}"#,
      error: "count must be a whole number or a string of digits, not 1.5"),
    OpenFlowParseCase(
      "a count string that is not digits", #"{"id":"a","count":"2x"}"#,
      error: #"count must be a whole number or a string of digits, not "2x""#),
    OpenFlowParseCase(
      "an empty count string", #"{"id":"a","index":""}"#,
      error: #"index must be a whole number or a string of digits, not """#),
    OpenFlowParseCase(
      "a boolean count", #"{"id":"a","count":true}"#,
      error: "count must be a whole number or a string of digits, not true"),
  ]

  @Test(arguments: parseCases)
  func parses(_ c: OpenFlowParseCase) {
    do {
      let message = try OpenFlowMessage(parsing: Array(c.frame.utf8))
      #expect(message == c.message)
      #expect(c.error == nil)
    } catch {
      #expect(c.message == nil, "unexpected error \(error)")
      #expect(error.description.hasPrefix(c.error ?? "<none>"), "\(error)")
    }
  }

  @Test func aMissingIDGetsAFreshOne() throws {
    let a = try OpenFlowMessage(parsing: Array(#"{"command":"ping"}"#.utf8))
    let b = try OpenFlowMessage(parsing: Array(#"{"command":"ping"}"#.utf8))
    #expect(!a.id.isEmpty && a.id != b.id)
  }

  /// Serializing writes numbers for count and index and round-trips every member.
  @Test(arguments: [
    OpenFlowMessage(id: "1", command: "ping", data: nil),
    OpenFlowMessage(
      id: "q\"\\", replyTo: "r\n", command: "watch", data: "{\"a\":\"\u{1}\u{7f}é😀\"}", count: 3,
      index: 2, priority: 2),
    OpenFlowMessage(id: "x", command: nil, data: "", priority: nil),
  ])
  func roundTrips(_ message: OpenFlowMessage) throws {
    let text = message.serialized
    #expect(try OpenFlowMessage(parsing: Array(text.utf8)) == message)
    let value = try JSONDocument(parsing: text).value
    #expect(value["count"] == .number(JSONNumber(message.count)))
    #expect(value["index"] == .number(JSONNumber(message.index)))
  }
}

/// A sequence of chunks and what the joiner must return for each: `nil` while waiting, the
/// joined data, or an error message prefix.
struct ChunkJoinCase: Sendable, CustomTestStringConvertible {
  enum Outcome: Sendable, Equatable {
    case waiting
    case joined(String)
    case error(String)
  }
  let name: String
  let chunks: [(id: String, count: Int, index: Int, data: String)]
  let outcomes: [Outcome]
  var limits = OpenFlowChunkJoiner.Limits()
  var testDescription: String { name }
}

@Suite struct OpenFlowChunkJoinerTests {
  static let cases: [ChunkJoinCase] = [
    ChunkJoinCase(
      name: "unchunked passes through", chunks: [("a", 1, 0, "xyz")], outcomes: [.joined("xyz")]),
    ChunkJoinCase(
      name: "in order", chunks: [("a", 3, 0, "ab"), ("a", 3, 1, "cd"), ("a", 3, 2, "e")],
      outcomes: [.waiting, .waiting, .joined("abcde")]),
    ChunkJoinCase(
      name: "out of order, joined by index",
      chunks: [("a", 3, 2, "e"), ("a", 3, 0, "ab"), ("a", 3, 1, "cd")],
      outcomes: [.waiting, .waiting, .joined("abcde")]),
    ChunkJoinCase(
      name: "two ids interleaved",
      chunks: [("a", 2, 0, "1"), ("b", 2, 0, "x"), ("b", 2, 1, "y"), ("a", 2, 1, "2")],
      outcomes: [.waiting, .waiting, .joined("xy"), .joined("12")]),
    ChunkJoinCase(
      name: "an id is reusable after its set completes",
      chunks: [("a", 2, 0, "1"), ("a", 2, 1, "2"), ("a", 1, 0, "3")],
      outcomes: [.waiting, .joined("12"), .joined("3")]),
    ChunkJoinCase(
      name: "a repeated index", chunks: [("a", 3, 0, "1"), ("a", 3, 0, "1")],
      outcomes: [.waiting, .error("chunk 0 of message a was received twice")]),
    ChunkJoinCase(
      name: "a count that changes", chunks: [("a", 3, 0, "1"), ("a", 2, 1, "1")],
      outcomes: [.waiting, .error("chunk 1 of message a says count 2, its first chunk said 3")]),
    ChunkJoinCase(
      name: "after an error the set is gone",
      chunks: [("a", 2, 0, "1"), ("a", 2, 0, "1"), ("a", 2, 1, "2")],
      outcomes: [.waiting, .error("chunk 0 of message a was received twice"), .waiting]),
    ChunkJoinCase(
      name: "open sets at the limit",
      chunks: [("a", 2, 0, "1"), ("b", 2, 0, "1"), ("a", 2, 1, "2"), ("c", 2, 0, "1")],
      outcomes: [.waiting, .waiting, .joined("12"), .waiting], limits: .init(maxOpenSets: 2)),
    ChunkJoinCase(
      name: "one open set past the limit",
      chunks: [("a", 2, 0, "1"), ("b", 2, 0, "1"), ("c", 2, 0, "1")],
      outcomes: [
        .waiting, .waiting, .error("more than 2 chunked messages are incomplete at once"),
      ],
      limits: .init(maxOpenSets: 2)),
    ChunkJoinCase(
      name: "joined size at the limit", chunks: [("a", 2, 0, "12345"), ("a", 2, 1, "67890")],
      outcomes: [.waiting, .joined("1234567890")], limits: .init(maxJoinedBytes: 10)),
    ChunkJoinCase(
      name: "joined size one past the limit",
      chunks: [("a", 2, 0, "12345"), ("a", 2, 1, "678901")],
      outcomes: [.waiting, .error("message a holds 11 bytes of data")],
      limits: .init(maxJoinedBytes: 10)),
    ChunkJoinCase(
      name: "bytes pending in other sets count",
      chunks: [("a", 2, 0, "123456"), ("b", 2, 0, "12345")],
      outcomes: [.waiting, .error("message b holds 5 bytes of data, with what is pending")],
      limits: .init(maxJoinedBytes: 10)),
    ChunkJoinCase(
      name: "an unchunked message past the limit", chunks: [("a", 1, 0, "12345678901")],
      outcomes: [.error("message a holds 11 bytes")], limits: .init(maxJoinedBytes: 10)),
    ChunkJoinCase(
      name: "a completed set frees its bytes",
      chunks: [("a", 2, 0, "123456"), ("a", 2, 1, "7"), ("b", 2, 0, "12345678")],
      outcomes: [.waiting, .joined("1234567"), .waiting], limits: .init(maxJoinedBytes: 10)),
    ChunkJoinCase(
      name: "a chunk count far past the limit", chunks: [("a", 1_000_000_000, 0, "1")],
      outcomes: [.error("message a has 1000000000 chunks, more than the limit of 65536")]),
  ]

  @Test(arguments: cases)
  func joins(_ c: ChunkJoinCase) {
    var joiner = OpenFlowChunkJoiner(limits: c.limits)
    var outcomes: [ChunkJoinCase.Outcome] = []
    for chunk in c.chunks {
      let message = OpenFlowMessage(
        id: chunk.id, command: "watch", data: chunk.data, count: chunk.count, index: chunk.index)
      do {
        if let joined = try joiner.accept(message) {
          outcomes.append(.joined(joined.data ?? ""))
          #expect(joined.count == 1 && joined.index == 0 && joined.command == "watch")
        } else {
          outcomes.append(.waiting)
        }
      } catch {
        let expected: String
        if case .error(let prefix) = c.outcomes[outcomes.count] {
          expected = prefix
        } else {
          expected = ""
        }
        outcomes.append(
          error.description.hasPrefix(expected) && !expected.isEmpty
            ? .error(expected) : .error(error.description))
        #expect(error.messageID == chunk.id)
      }
    }
    #expect(outcomes == c.outcomes)
  }
}

@Suite struct OpenFlowChunkSplitterTests {
  /// Split at real clients' sizes and at the hub's, then joined: the data comes back exactly.
  @Test(arguments: [1, 2, 3, 500, 4_096, 25_000])
  func splitsAndJoinsBack(_ size: Int) throws {
    let data = String(repeating: #"{"Name":"é😀\"x\\","n":12345}"#, count: 400)
    let frames = OpenFlowChunkSplitter.frames(
      for: OpenFlowMessage(id: "m", command: "watchevent", data: data), packageSize: size)
    var joiner = OpenFlowChunkJoiner()
    var joined: OpenFlowMessage?
    for (n, frame) in frames.enumerated() {
      let chunk = try OpenFlowMessage(parsing: Array(frame.utf8))
      #expect(chunk.count == frames.count && chunk.index == n && chunk.id == "m")
      #expect(chunk.data!.utf16.count <= max(size, 2))
      joined = try joiner.accept(chunk)
      #expect((joined == nil) == (n < frames.count - 1))
    }
    #expect(joined?.data == data)
    let units = data.utf16.count
    if size >= 2 { #expect(frames.count >= (units + size - 1) / size) }
  }

  @Test func shortDataIsOneFrame() {
    let frames = OpenFlowChunkSplitter.frames(
      for: OpenFlowMessage(id: "m", command: "ping", data: "{}"), packageSize: 2)
    #expect(
      frames == [#"{"id":"m","command":"ping","data":"{}","count":1,"index":0,"priority":1}"#])
  }

  @Test func slicesNeverSplitASurrogatePair() {
    let slices = OpenFlowChunkSplitter.slices(of: "a😀b😀", packageSize: 2)
    #expect(slices == ["a", "😀", "b", "😀"])
  }
}
