import Testing
import Winnow

@testable import WinnowHub

@Suite struct ServerInfoTests {
  @Test func advertisesFiltersInRegister() throws {
    let info = ServerInfo()
    #expect(info.features.contains("websocket-changed-filter"))
    let document = try JSONDocument(parsing: Array(info.json.utf8))
    guard case .object(let object) = document.value else {
      Issue.record("info is not an object: \(info.json)")
      return
    }
    #expect(object["version"] == .string(Winnow.version))
    #expect(object["features"] == .array(ServerInfo.hubFeatures.map { .string($0) }))
  }

  @Test func escapesItsStrings() {
    let info = ServerInfo(version: "1\"2", features: [])
    #expect(info.json == #"{"version":"1\"2","features":[]}"#)
  }
}
