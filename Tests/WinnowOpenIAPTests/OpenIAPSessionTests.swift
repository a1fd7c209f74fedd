import Foundation
import SwiftProtobuf
import Testing

@testable import WinnowOpenIAP

/// One request of a script and the actions it must produce, summarized as text (see
/// ``OpenIAPSessionTests/summary(_:)``); `W` stands for the id of the last watch created.
struct OpenIAPStep: Sendable {
  let request: Openiap_Envelope
  let expected: [String]
  init(_ request: Openiap_Envelope, _ expected: [String]) {
    self.request = request
    self.expected = expected
  }
}

/// A script of requests on one connection.
struct OpenIAPScript: Sendable, CustomTestStringConvertible {
  let name: String
  let steps: [OpenIAPStep]
  var maxWatches = 1_024
  var testDescription: String { name }
}

@Suite struct OpenIAPSessionTests {
  typealias E = Wire

  static func signin(
    jwt: String = "", username: String = "", password: String = "", validateOnly: Bool = false,
    id: String = "s"
  )
    -> Openiap_Envelope
  {
    var request = Openiap_SigninRequest()
    request.jwt = jwt
    request.username = username
    request.password = password
    request.validateonly = validateOnly
    return Wire.envelope("signin", id: id, data: request)
  }

  static func watch(_ collection: String, _ paths: [String], id: String = "w") -> Openiap_Envelope {
    var request = Openiap_WatchRequest()
    request.collectionname = collection
    request.paths = paths
    return Wire.envelope("watch", id: id, data: request)
  }

  static func unwatch(_ watchID: String, id: String = "u") -> Openiap_Envelope {
    var request = Openiap_UnWatchRequest()
    request.id = watchID
    return Wire.envelope("unwatch", id: id, data: request)
  }

  static let signedIn = OpenIAPStep(
    signin(jwt: "secret"), ["signinreply rid=s jwt=secret user=user:alice/user:alice/user:alice"])

  static let scripts: [OpenIAPScript] = [
    OpenIAPScript(
      name: "ping before signin gets pong",
      steps: [
        OpenIAPStep(Wire.envelope("ping", id: "p"), ["pong rid=p"])
      ]),
    OpenIAPScript(
      name: "a ping without id gets pong with an empty rid",
      steps: [
        OpenIAPStep(Wire.envelope("ping"), ["pong rid="])
      ]),
    OpenIAPScript(
      name: "getelement before signin is an error",
      steps: [
        OpenIAPStep(
          Wire.envelope("getelement", id: "g"),
          ["error rid=g code=401 getelement needs a signed-in connection: send signin first"])
      ]),
    OpenIAPScript(
      name: "watch before signin is an error",
      steps: [
        OpenIAPStep(
          watch("machines", []),
          ["error rid=w code=401 watch needs a signed-in connection: send signin first"])
      ]),
    OpenIAPScript(
      name: "signin with a jwt, watch, unwatch",
      steps: [
        signedIn,
        OpenIAPStep(
          watch("machines", [#"Object.Name=Eq("a")"#]),
          [#"register W machines.*.*.Object.Name=Eq("a")"#, "watchreply rid=w id=W"]),
        OpenIAPStep(unwatch("W"), ["deregister W", "unwatchreply rid=u"]),
        OpenIAPStep(
          unwatch("W", id: "u2"),
          [#"error rid=u2 code=404 no watch with id "W" on this connection"#]),
      ]),
    OpenIAPScript(
      name: "signin with username and password presents user:pass",
      steps: [
        OpenIAPStep(
          signin(username: "reader", password: "pw"),
          ["signinreply rid=s jwt=reader:pw user=user:reader/user:reader/reader"]),
        OpenIAPStep(
          Wire.envelope(
            "getelement", id: "g",
            data: {
              var r = Openiap_GetElementRequest()
              r.xpath = "/x[1]"
              return r
            }()), ["getelementreply rid=g xpath=/x[1]"]),
      ]),
    OpenIAPScript(
      name: "a bad token fails and leaves the connection signed out",
      steps: [
        OpenIAPStep(
          signin(jwt: "wrong"), ["error rid=s code=401 signin failed: unknown credentials"]),
        OpenIAPStep(
          signin(username: "reader", password: "nope", id: "s2"),
          ["error rid=s2 code=401 signin failed: unknown credentials"]),
        OpenIAPStep(
          watch("", []),
          ["error rid=w code=401 watch needs a signed-in connection: send signin first"]),
      ]),
    OpenIAPScript(
      name: "signin without data",
      steps: [
        OpenIAPStep(
          Wire.envelope("signin", id: "s"),
          ["error rid=s code=401 signin needs a jwt, or a username and password"])
      ]),
    OpenIAPScript(
      name: "validateonly checks without signing in",
      steps: [
        OpenIAPStep(
          signin(jwt: "secret", validateOnly: true),
          ["signinreply rid=s jwt=secret user=user:alice/user:alice/user:alice"]),
        OpenIAPStep(
          watch("", []),
          ["error rid=w code=401 watch needs a signed-in connection: send signin first"]),
      ]),
    OpenIAPScript(
      name: "an unknown command",
      steps: [
        OpenIAPStep(
          Wire.envelope("query", id: "q"), [#"error rid=q code=501 unknown command "query""#]),
        signedIn,
        OpenIAPStep(
          Wire.envelope("insertone", id: "i"),
          [#"error rid=i code=501 unknown command "insertone""#]),
      ]),
    OpenIAPScript(
      name: "a pong is an answer and gets none",
      steps: [
        OpenIAPStep(Wire.envelope("pong", id: "x"), [])
      ]),
    OpenIAPScript(
      name: "getelement without data echoes an empty xpath",
      steps: [
        signedIn,
        OpenIAPStep(Wire.envelope("getelement", id: "g"), ["getelementreply rid=g xpath="]),
      ]),
    OpenIAPScript(
      name: "an invalid path fails the watch with path and column",
      steps: [
        signedIn,
        OpenIAPStep(
          watch("machines", ["Name=Eq(1)", "Name=Foo(1)"]),
          [
            #"error rid=w code=400 invalid path "Name=Foo(1)" (paths[1]) at column 6: unknown test 'Foo' (the tests are Exists, Eq, Ne, Re, In, Nin, Changed)"#
          ]),
      ]),
    OpenIAPScript(
      name: "a principal without the read right may not watch",
      steps: [
        OpenIAPStep(
          signin(jwt: "publisher"),
          ["signinreply rid=s jwt=publisher user=user:pub/user:pub/user:pub"]),
        OpenIAPStep(watch("", []), ["error rid=w code=403 user:pub has no right to read events"]),
      ]),
    OpenIAPScript(
      name: "the watch limit",
      steps: [
        signedIn,
        OpenIAPStep(watch("a", []), ["register W a.*.*", "watchreply rid=w id=W"]),
        OpenIAPStep(watch("b", [], id: "w2"), ["register W b.*.*", "watchreply rid=w2 id=W"]),
        OpenIAPStep(
          watch("c", [], id: "w3"),
          ["error rid=w3 code=429 a connection may hold at most 2 watches"]),
        OpenIAPStep(unwatch("W"), ["deregister W", "unwatchreply rid=u"]),
        OpenIAPStep(watch("c", [], id: "w4"), ["register W c.*.*", "watchreply rid=w4 id=W"]),
      ], maxWatches: 2),
  ]

  @Test(arguments: scripts)
  func runs(_ script: OpenIAPScript) {
    var session = OpenIAPSession(authenticate: Wire.authenticate)
    session.maxWatches = script.maxWatches
    var lastWatch = ""
    for step in script.steps {
      var request = step.request
      if request.command == "unwatch",
        var body = try? request.payload(as: Openiap_UnWatchRequest.self),
        body.id == "W"
      {
        body.id = lastWatch
        request.data = Openiap_Envelope.packed(body)
      }
      let actions = session.handle(request)
      for case .watch(let id, _) in actions { lastWatch = id }
      #expect(actions.map { Self.summary($0, watchID: lastWatch) } == step.expected)
      for case .send(let reply) in actions {
        #expect(
          reply.data.typeURL == "type.googleapis.com/openiap.\(Self.messageName(reply.command))")
        #expect(!reply.id.isEmpty && reply.id != request.id)
      }
    }
  }

  /// The message a reply command carries.
  static func messageName(_ command: String) -> String {
    switch command {
    case "signinreply": return "SigninResponse"
    case "pong": return "PingResponse"
    case "getelementreply": return "GetElementResponse"
    case "watchreply": return "WatchResponse"
    case "unwatchreply": return "UnWatchResponse"
    default: return "ErrorResponse"
    }
  }

  /// One line per action, with the reply's payload decoded as its command says.
  static func summary(_ action: SessionAction<Openiap_Envelope>, watchID: String) -> String {
    func w(_ text: String) -> String { text.replacingOccurrences(of: watchID, with: "W") }
    switch action {
    case .watch(let id, let request):
      return w("register \(id) " + request.specifiers.map(\.canonicalText).joined(separator: " | "))
    case .unwatch(let id):
      return w("deregister \(id)")
    case .send(let reply):
      let head = "\(reply.command) rid=\(reply.rid)"
      do {
        switch reply.command {
        case "signinreply":
          let r = try reply.payload(as: Openiap_SigninResponse.self)
          return "\(head) jwt=\(r.jwt) user=\(r.user.id)/\(r.user.name)/\(r.user.username)"
        case "getelementreply":
          return "\(head) xpath=\(try reply.payload(as: Openiap_GetElementResponse.self).xpath)"
        case "watchreply":
          return w("\(head) id=\(try reply.payload(as: Openiap_WatchResponse.self).id)")
        case "error":
          let r = try reply.payload(as: Openiap_ErrorResponse.self)
          return w("\(head) code=\(r.code) \(r.message)")
        default:
          return head
        }
      } catch {
        return "\(head) undecodable: \(error)"
      }
    }
  }

  /// Receivers dispatch on `command`: any type_url, or none, is accepted.
  @Test(arguments: [
    "type.googleapis.com/openiap.SigninRequest", "openiap.SigninRequest",
    "type.googleapis.com/openiap.PingRequest", "",
  ])
  func acceptsAnyTypeURL(_ typeURL: String) {
    var session = OpenIAPSession(authenticate: Wire.authenticate)
    var request = Self.signin(jwt: "secret")
    request.data.typeURL = typeURL
    let actions = session.handle(request)
    #expect(actions.map { Self.summary($0, watchID: "") } == Self.signedIn.expected)
    #expect(session.user?.principal == "user:alice")
  }

  @Test func undecodableDataIsAnError() {
    var session = OpenIAPSession(authenticate: Wire.authenticate)
    var request = Wire.envelope("signin", id: "s")
    request.data.typeURL = "type.googleapis.com/openiap.SigninRequest"
    request.data.value = Data([0x0A, 0x7F, 0x41])  // a string field claiming 127 bytes
    let actions = session.handle(request)
    #expect(
      actions.map { Self.summary($0, watchID: "") } == [
        "error rid=s code=400 the data of signin is not a openiap.SigninRequest"
      ])
  }

  @Test func watchEventCarriesIDActionAndTheEventBytes() throws {
    let json = #"{"Type":"machines","Action":"save","Key":"m1","Object":{"Name":"ä \"q\""}}"#
    let envelope = OpenIAPWatchEvent.envelope(
      watchID: "w-1", action: "save", json: Array(json.utf8))
    #expect(envelope.command == "watchevent")
    #expect(envelope.data.typeURL == "type.googleapis.com/openiap.WatchEvent")
    let event = try envelope.payload(as: Openiap_WatchEvent.self)
    #expect(event.id == "w-1")
    #expect(event.operation == "save")
    #expect(Array(event.document.utf8) == Array(json.utf8))
  }
}

/// The hand encoder writes exactly what SwiftProtobuf writes for the same Envelope.
@Suite struct WatchEventEncoderTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let seq: Int32
    let id: String
    let watchID: String
    let action: String
    let json: String
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "typical", seq: 7, id: "x-1", watchID: "w-2", action: "save",
      json: #"{"Type":"machines","Key":"ä"}"#),
    Case(
      name: "seq 0 and empty strings are left out", seq: 0, id: "", watchID: "", action: "",
      json: ""),
    Case(
      name: "multi-byte lengths", seq: 300, id: String(repeating: "i", count: 200), watchID: "w",
      action: "a", json: String(repeating: "j", count: 70_000)),
    Case(name: "large seq", seq: .max, id: "i", watchID: "w", action: "a", json: "{}"),
    Case(name: "negative seq", seq: -5, id: "i", watchID: "w", action: "a", json: "{}"),
  ]

  @Test(arguments: cases)
  func matchesSwiftProtobuf(_ c: Case) throws {
    var envelope = OpenIAPWatchEvent.envelope(
      watchID: c.watchID, action: c.action, json: Array(c.json.utf8))
    envelope.seq = c.seq
    envelope.id = c.id
    let expected: [UInt8] = try envelope.serializedBytes()
    let encoded = WatchEventEncoder.envelope(
      seq: c.seq, id: c.id, watchID: c.watchID, action: c.action, json: Array(c.json.utf8))
    #expect(encoded == expected)
    #expect(encoded.capacity >= encoded.count)
  }
}
