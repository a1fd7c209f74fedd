import Foundation
import Testing
import Winnow

@testable import WinnowOpenIAP

/// A script of text frames on one OpenFlow connection, each with the actions it must produce,
/// summarized as `command replyto=ID data` (`W` stands for the last watch id).
struct OpenFlowScript: Sendable, CustomTestStringConvertible {
  let name: String
  let steps: [(frame: String, expected: [String])]
  var testDescription: String { name }
}

@Suite struct OpenFlowSessionTests {
  static func frame(
    _ id: String, _ command: String?, _ data: String?, count: Any = 1, index: Any = 0
  ) -> String {
    var object: JSONObject = JSONObject()
    object["id"] = .string(id)
    if let command { object["command"] = .string(command) }
    if let data { object["data"] = .string(data) }
    object["count"] =
      count is String ? .string(count as! String) : .number(JSONNumber(count as! Int))
    object["index"] =
      index is String ? .string(index as! String) : .number(JSONNumber(index as! Int))
    return JSONValue.object(object).minified
  }

  static let signin = (
    frame(
      "s", "signin", #"{"jwt":"secret"}"#),
    [
      #"signin replyto=s {"jwt":"secret","user":{"_id":"user:alice","name":"user:alice","username":"user:alice"},"supports_watch":true,"websocket_package_size":25000}"#
    ]
  )

  static let scripts: [OpenFlowScript] = [
    OpenFlowScript(
      name: "ping before signin",
      steps: [
        (frame("p", "ping", nil), ["pong replyto=p {}"])
      ]),
    OpenFlowScript(
      name: "signin with jwt, watch, unwatch",
      steps: [
        signin,
        (
          frame(
            "w", "watch", #"{"collectionname":"machines","aggregates":["Object.Name=Eq(\"a\")"]}"#),
          [
            #"register W machines.*.*.Object.Name=Eq("a")"#,
            #"watch replyto=w {"id":"W","collectionname":"machines","aggregates":["Object.Name=Eq(\"a\")"]}"#,
          ]
        ),
        (
          frame("u", "unwatch", #"{"id":"W"}"#), ["deregister W", #"unwatch replyto=u {"id":"W"}"#]
        ),
        (
          frame("u2", "unwatch", #"{"id":"W"}"#),
          [#"error replyto=u2 {"message":"no watch with id \"W\" on this connection"}"#]
        ),
      ]),
    OpenFlowScript(
      name: "signin with username and password",
      steps: [
        (
          frame("s", "signin", #"{"username":"reader","password":"pw"}"#),
          [
            #"signin replyto=s {"jwt":"reader:pw","user":{"_id":"user:reader","name":"user:reader","username":"reader"},"supports_watch":true,"websocket_package_size":25000}"#
          ]
        )
      ]),
    OpenFlowScript(
      name: "bad credentials",
      steps: [
        (
          frame("s", "signin", #"{"jwt":"nope"}"#),
          [#"error replyto=s {"message":"signin failed: unknown credentials"}"#]
        ),
        (
          frame("w", "watch", #"{"collectionname":"","aggregates":[]}"#),
          [#"error replyto=w {"message":"watch needs a signed-in connection: send signin first"}"#]
        ),
      ]),
    OpenFlowScript(
      name: "unknown command and no command",
      steps: [
        (frame("q", "query", "{}"), [#"error replyto=q {"message":"Unknown command query"}"#]),
        (frame("n", nil, "{}"), [#"error replyto=n {"message":"message has no command"}"#]),
        (frame("e", "", "{}"), [#"error replyto=e {"message":"message has no command"}"#]),
      ]),
    OpenFlowScript(
      name: "answers get no reply",
      steps: [
        (frame("a", "pong", nil), []),
        (frame("b", "watchevent", #"{"id":"x"}"#), []),
      ]),
    OpenFlowScript(
      name: "watch without aggregates, with null aggregates, any collection",
      steps: [
        signin,
        (
          frame("w", "watch", #"{"collectionname":"machines"}"#),
          [
            "register W machines.*.*",
            #"watch replyto=w {"id":"W","collectionname":"machines","aggregates":[]}"#,
          ]
        ),
        (
          frame("w2", "watch", #"{"aggregates":null}"#),
          [
            "register W *.*.*",
            #"watch replyto=w2 {"id":"W","collectionname":"","aggregates":null}"#,
          ]
        ),
      ]),
    OpenFlowScript(
      name: "invalid aggregates",
      steps: [
        signin,
        (
          frame("w", "watch", #"{"collectionname":"m","aggregates":["Name=Foo(1)"]}"#),
          [
            #"error replyto=w {"message":"invalid path \"Name=Foo(1)\" (aggregates[0]) at column 6: unknown test 'Foo' (the tests are Exists, Eq, Ne, Re, In, Nin, Changed)"}"#
          ]
        ),
        (
          frame("w2", "watch", #"{"collectionname":"m","aggregates":[{"$match":{}}]}"#),
          [
            #"error replyto=w2 {"message":"aggregates[0] must be a Winnow filter string, not a object"}"#
          ]
        ),
        (
          frame("w3", "watch", #"{"collectionname":7}"#),
          [#"error replyto=w3 {"message":"collectionname must be a string, not a number"}"#]
        ),
        (
          frame("w4", "watch", "not json"),
          [#"error replyto=w4 {"message":"the data of watch is not JSON: "#]
        ),
      ]),
    OpenFlowScript(
      name: "a watch whose data spans chunks, counts as strings",
      steps: [
        signin,
        (frame("w", "watch", #"{"collectionname":"machi"#, count: "3", index: "0"), []),
        (frame("w", "watch", #"nes","aggregates":["Key=Eq(\"#, count: "3", index: "1"), []),
        (
          frame("w", "watch", #""m1\")"]}"#, count: "3", index: "2"),
          [
            #"register W machines.*.*.Key=Eq("m1")"#,
            #"watch replyto=w {"id":"W","collectionname":"machines","aggregates":["Key=Eq(\"m1\")"]}"#,
          ]
        ),
      ]),
    OpenFlowScript(
      name: "a malformed frame keeps the connection",
      steps: [
        ("{nope", [#"error replyto=nil {"message":"message is not JSON: "#]),
        (frame("p", "ping", nil), ["pong replyto=p {}"]),
      ]),
  ]

  @Test(arguments: scripts)
  func runs(_ script: OpenFlowScript) throws {
    var session = OpenFlowSession(authenticate: Wire.authenticate)
    var lastWatch = "<none>"
    for step in script.steps {
      let frame = step.frame.replacingOccurrences(
        of: #"\"id\":\"W\""#, with: #"\"id\":\"\#(lastWatch)\""#)
      let actions = session.handle(frame: Array(frame.utf8))
      for case .watch(let id, _) in actions { lastWatch = id }
      let summaries = try actions.map {
        try Self.summary($0).replacingOccurrences(of: lastWatch, with: "W")
      }
      #expect(summaries.count == step.expected.count)
      for (summary, expected) in zip(summaries, step.expected) {
        // A trailing `: ` in the expectation accepts any detail after it.
        if expected.hasSuffix(": ") {
          #expect(summary.hasPrefix(expected), "\(summary)")
        } else {
          #expect(summary == expected)
        }
      }
    }
  }

  static func summary(_ action: SessionAction<String>) throws -> String {
    switch action {
    case .watch(let id, let request):
      return "register \(id) " + request.specifiers.map(\.canonicalText).joined(separator: " | ")
    case .unwatch(let id):
      return "deregister \(id)"
    case .send(let frame):
      let message = try OpenFlowMessage(parsing: Array(frame.utf8))
      #expect(message.count == 1 && message.index == 0)
      return "\(message.command ?? "-") replyto=\(message.replyTo ?? "nil") \(message.data ?? "-")"
    }
  }

  /// Python's json.dumps and JavaScript's JSON.stringify chunk at 500 and 4,096 characters;
  /// a signin and a watch split at either size work, with counts as numbers or strings.
  @Test(arguments: [500, 4_096], [false, true])
  func acceptsClientChunking(size: Int, stringCounts: Bool) throws {
    var session = OpenFlowSession(authenticate: Wire.authenticate)
    _ = session.handle(frame: Array(Self.signin.0.utf8))
    let paths = (0..<200).map {
      #"Object.Name=Eq("name-\#($0)-\#(String(repeating: "x", count: 20))")"#
    }
    let data = JSONValue.object(
      JSONObject([
        (key: "collectionname", value: .string("machines")),
        (key: "aggregates", value: .array(paths.map { .string($0) })),
      ])
    ).minified
    let slices = OpenFlowChunkSplitter.slices(of: data, packageSize: size)
    #expect(slices.count > 1)
    var actions: [SessionAction<String>] = []
    for (n, slice) in slices.enumerated() {
      let frame = Self.frame(
        "w", "watch", String(slice),
        count: stringCounts ? String(slices.count) as Any : slices.count as Any,
        index: stringCounts ? String(n) as Any : n as Any)
      actions = session.handle(frame: Array(frame.utf8))
      if n < slices.count - 1 { #expect(actions.isEmpty) }
    }
    guard case .watch(_, let request) = actions.first else {
      Issue.record("no watch: \(actions)")
      return
    }
    #expect(request.paths == paths)
  }

  /// An event larger than the package size arrives in several chunks and joins back to
  /// `{"id": W, "result": EVENT}` with the event's bytes unchanged.
  @Test(arguments: [100, 25_000])
  func watchEventsAreChunkedAndJoinBackByteForByte(_ packageSize: Int) throws {
    let big = String(repeating: "é\\\"😀 ", count: 9_000)
    let event = #"{"Type":"machines","Action":"save","Key":"k","Object":{"Blob":"\#(big)"}}"#
    let frames = OpenFlowWatchEvent.frames(
      watchID: "w-1", json: Array(event.utf8), packageSize: packageSize)
    #expect(frames.count > 1)
    var joiner = OpenFlowChunkJoiner()
    var joined: OpenFlowMessage?
    for frame in frames {
      joined = try joiner.accept(try OpenFlowMessage(parsing: Array(frame.utf8)))
    }
    let message = try #require(joined)
    #expect(message.command == "watchevent")
    #expect(message.data == #"{"id":"w-1","result":"# + event + "}")
  }

  @Test func aChunkingErrorIsAnErrorReply() throws {
    var session = OpenFlowSession(
      authenticate: Wire.authenticate, chunkLimits: .init(maxOpenSets: 1))
    #expect(
      session.handle(frame: Array(Self.frame("a", "watch", "x", count: 2, index: 0).utf8)).isEmpty)
    let actions = session.handle(
      frame: Array(Self.frame("b", "watch", "x", count: 2, index: 0).utf8))
    #expect(
      try actions.map(Self.summary) == [
        #"error replyto=b {"message":"more than 1 chunked messages are incomplete at once"}"#
      ])
  }
}
