import Testing
import Winnow
import WinnowHub

@Suite("ServerInfo(parsingJSON:): what a client reads from /api/v3/info")
struct ServerInfoParsingTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let json: String
    let features: [String]
    let filters: Bool
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "a hub",
      json: #"{"version":"0.1.0","features":["websocket-changed-filter","winnow-hub"]}"#,
      features: ["websocket-changed-filter", "winnow-hub"], filters: true),
    Case(
      name: "an older DRP",
      json: #"{"version":"v4.3.0","features":["api-v3","sane-exit-codes"],"os":"linux"}"#,
      features: ["api-v3", "sane-exit-codes"], filters: false),
    Case(name: "no features member", json: #"{"version":"v4"}"#, features: [], filters: false),
    Case(
      name: "non-string features are ignored",
      json: #"{"features":[1,null,"websocket-changed-filter"]}"#,
      features: ["websocket-changed-filter"], filters: true),
    Case(
      name: "features of the wrong kind", json: #"{"features":"websocket-changed-filter"}"#,
      features: [], filters: false),
  ]

  @Test(arguments: cases)
  func reads(_ c: Case) throws {
    let info = try ServerInfo(parsingJSON: Array(c.json.utf8))
    #expect(info.features == c.features)
    #expect(info.filtersRegistrations == c.filters)
  }

  @Test(arguments: ["[]", "\"x\"", "{", "", "<html>"])
  func rejectsWhatIsNotAnObject(_ body: String) {
    #expect(throws: Diagnostic.self) { try ServerInfo(parsingJSON: Array(body.utf8)) }
  }

  @Test func roundTripsTheHubsOwnDocument() throws {
    let info = ServerInfo()
    #expect(try ServerInfo(parsingJSON: Array(info.json.utf8)) == info)
  }
}
