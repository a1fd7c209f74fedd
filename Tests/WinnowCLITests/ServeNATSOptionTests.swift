import Foundation
import Testing

/// `winnow serve --nats` refuses what it cannot use before listening, with status 2.
@Suite struct ServeNATSOptionTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let cases: [Case] = [
    Case(
      arguments: ["--nats", "http://127.0.0.1:4222"],
      message: "--nats takes comma-separated nats://HOST:PORT URLs, not 'http://127.0.0.1:4222'."),
    Case(
      arguments: ["--nats", ""],
      message: "--nats takes comma-separated nats://HOST:PORT URLs, not ''."),
    Case(
      arguments: ["--nats", "nats://127.0.0.1:4222", "--nats-subject-prefix", "drp.*"],
      message:
        "--nats-subject-prefix must be dot-separated tokens without spaces or wildcards, not 'drp.*'."
    ),
    Case(
      arguments: ["--nats", "nats://127.0.0.1:4222", "--nats-subject-prefix", "drp..events"],
      message:
        "--nats-subject-prefix must be dot-separated tokens without spaces or wildcards, not 'drp..events'."
    ),
  ]

  @Test(arguments: cases)
  func refusesBadOptions(_ c: Case) throws {
    let run = try Winnow.run(["serve", "--no-auth", "--listen", "127.0.0.1:0"] + c.arguments)
    #expect(run.status == 2, "\(run)")
    #expect(run.stderr.contains(c.message), "\(run)")
  }

  @Test func exitsWhenNoNATSServerAnswers() throws {
    // Port 1 on loopback: nothing listens there, so every attempt is refused at once.
    let run = try Winnow.run([
      "serve", "--no-auth", "--listen", "127.0.0.1:0", "--nats", "nats://127.0.0.1:1",
    ])
    #expect(run.status == 2, "\(run)")
    #expect(
      run.stderr.contains(
        "winnow serve: --nats: no NATS server available (tried nats://127.0.0.1:1)"), "\(run)")
    #expect(!run.stderr.contains("listening"))
  }
}
