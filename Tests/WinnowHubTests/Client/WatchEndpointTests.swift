import Testing
import WinnowHub

@Suite("WatchEndpoint: the URLs derived from a DRP endpoint")
struct WatchEndpointTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let url: String
    let websocketURL: String
    let infoURL: String
    var token: String? = nil
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "https base", url: "https://drp.example.com:8092",
      websocketURL: "wss://drp.example.com:8092/api/v3/ws",
      infoURL: "https://drp.example.com:8092/api/v3/info"),
    Case(
      name: "http base with a slash", url: "http://127.0.0.1:8092/",
      websocketURL: "ws://127.0.0.1:8092/api/v3/ws", infoURL: "http://127.0.0.1:8092/api/v3/info"),
    Case(
      name: "ws URL of the websocket itself", url: "ws://localhost:9000/api/v3/ws",
      websocketURL: "ws://localhost:9000/api/v3/ws", infoURL: "http://localhost:9000/api/v3/info"),
    Case(
      name: "wss with the api prefix", url: "WSS://Host:443/api/v3",
      websocketURL: "wss://Host:443/api/v3/ws", infoURL: "https://Host:443/api/v3/info"),
    Case(
      name: "default ports", url: "wss://drp.example.com",
      websocketURL: "wss://drp.example.com:443/api/v3/ws",
      infoURL: "https://drp.example.com:443/api/v3/info"),
    Case(
      name: "plain default port", url: "http://drp",
      websocketURL: "ws://drp:80/api/v3/ws", infoURL: "http://drp:80/api/v3/info"),
    Case(
      name: "proxy prefix kept", url: "https://proxy:8443/drp/api/v3/info",
      websocketURL: "wss://proxy:8443/drp/api/v3/ws", infoURL: "https://proxy:8443/drp/api/v3/info"),
    Case(
      name: "IPv6 address", url: "ws://[::1]:8092",
      websocketURL: "ws://[::1]:8092/api/v3/ws", infoURL: "http://[::1]:8092/api/v3/info"),
    Case(
      name: "token in the query, other parameters kept",
      url: "ws://h:1/api/v3/ws?token=rocket%3Ask8ts&x=1",
      websocketURL: "ws://h:1/api/v3/ws?x=1", infoURL: "http://h:1/api/v3/info",
      token: "rocket:sk8ts"),
    Case(
      name: "Token spelled as DRP allows", url: "http://h:2?Token=a+b",
      websocketURL: "ws://h:2/api/v3/ws", infoURL: "http://h:2/api/v3/info", token: "a b"),
  ]

  @Test(arguments: cases)
  func derives(_ c: Case) throws {
    let endpoint = try WatchEndpoint(parsing: c.url)
    #expect(endpoint.websocketURL == c.websocketURL)
    #expect(endpoint.infoURL == c.infoURL)
    #expect(endpoint.queryToken == c.token)
  }

  struct Invalid: CustomTestStringConvertible, Sendable {
    let url: String
    let message: String
    var testDescription: String { url }
  }

  static let invalid: [Invalid] = [
    Invalid(url: "ftp://h:1", message: "is not a DRP endpoint"),
    Invalid(url: "h:8092", message: "is not a DRP endpoint"),
    Invalid(url: "", message: "is not a DRP endpoint"),
    Invalid(url: "ws://:8092", message: "has no host"),
    Invalid(url: "ws://h:0", message: "the port must be a number from 1 to 65535"),
    Invalid(url: "ws://h:65536", message: "the port must be a number from 1 to 65535"),
    Invalid(url: "ws://h:99999999999999999999999", message: "the port must be a number"),
    Invalid(url: "ws://h:x", message: "the port must be a number"),
    Invalid(url: "ws://user:pw@h:1", message: "give the token with --token"),
    Invalid(url: "ws://[::1:8092", message: "unclosed '['"),
    Invalid(url: "ws://h h:1", message: "' ' in the host"),
  ]

  @Test(arguments: invalid)
  func rejects(_ c: Invalid) {
    #expect {
      try WatchEndpoint(parsing: c.url)
    } throws: { error in
      "\(error)".contains(c.message)
    }
  }

  @Test func tellsAddressesFromNames() throws {
    #expect(try WatchEndpoint(parsing: "wss://10.0.0.1:8092").hostIsAddress)
    #expect(try WatchEndpoint(parsing: "wss://[fe80::1]:8092").hostIsAddress)
    #expect(try !WatchEndpoint(parsing: "wss://drp1:8092").hostIsAddress)
    #expect(try WatchEndpoint(parsing: "wss://drp1:8092").usesTLS)
    #expect(try !WatchEndpoint(parsing: "http://drp1:8092").usesTLS)
  }
}
