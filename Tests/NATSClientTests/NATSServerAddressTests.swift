import Testing

@testable import NATSClient

@Suite struct NATSServerAddressTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let text: String
    let host: String?  // nil: rejected
    var port = 4222
    var user: String? = nil
    var password: String? = nil
    var testDescription: String { text }
  }

  static let cases: [Case] = [
    Case(text: "nats://127.0.0.1:4223", host: "127.0.0.1", port: 4223),
    Case(text: "127.0.0.1:4223", host: "127.0.0.1", port: 4223),
    Case(text: "localhost", host: "localhost"),
    Case(text: " nats://demo.example:1 ", host: "demo.example", port: 1),
    Case(text: "tcp://h:9/", host: "h", port: 9),
    Case(text: "nats://[::1]:4300", host: "::1", port: 4300),
    Case(text: "[::1]", host: "::1"),
    Case(text: "nats://u:p@h:5", host: "h", port: 5, user: "u", password: "p"),
    Case(text: "nats://s3cr3t@h", host: "h", user: "s3cr3t"),
    Case(text: "http://h:4222", host: nil),
    Case(text: "nats://h:0", host: nil),
    Case(text: "nats://h:65536", host: nil),
    Case(text: "nats://h:x", host: nil),
    Case(text: "nats://:4222", host: nil),
    Case(text: "", host: nil),
    Case(text: "[::1", host: nil),
  ]

  @Test(arguments: cases)
  func parses(_ c: Case) {
    let address = NATSServerAddress(c.text)
    #expect(address?.host == c.host)
    if c.host != nil {
      #expect(address?.port == c.port)
      #expect(address?.user == c.user)
      #expect(address?.password == c.password)
    }
  }

  @Test func configurationFromList() throws {
    let configuration = try #require(
      NATSClientConfiguration(urls: "nats://127.0.0.1:1, nats://127.0.0.1:2,127.0.0.1:3"))
    #expect(configuration.servers.map(\.port) == [1, 2, 3])
    #expect(NATSClientConfiguration(urls: "") == nil)
    #expect(NATSClientConfiguration(urls: "nats://a:1,http://b") == nil)
  }

  @Test func backoffDoublesUpToTheMaximum() {
    var configuration = NATSClientConfiguration(servers: [])
    configuration.initialBackoff = .milliseconds(10)
    configuration.maxBackoff = .milliseconds(100)
    let waits = (1...6).map { configuration.backoff(afterRound: $0).nanoseconds / 1_000_000 }
    #expect(waits == [10, 20, 40, 80, 100, 100])
    #expect(configuration.backoff(afterRound: 1_000).nanoseconds == 100_000_000)
  }
}
