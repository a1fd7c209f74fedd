import Testing

@testable import WinnowHub

@Suite struct CommandTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let frame: String
    let verb: Command.Verb?
    let word: String
    let argument: String
    var testDescription: String { frame.debugDescription }
  }

  @Test(arguments: [
    Case(frame: "register a.b.c", verb: .register, word: "register", argument: "a.b.c"),
    Case(frame: "deregister a.b.c", verb: .deregister, word: "deregister", argument: "a.b.c"),
    Case(frame: "register a.b.c\n", verb: .register, word: "register", argument: "a.b.c"),
    Case(frame: "register a.b.c\r\n", verb: .register, word: "register", argument: "a.b.c"),
    Case(frame: "register a.b.c\r", verb: .register, word: "register", argument: "a.b.c"),
    Case(
      frame: "register a.b.c.Name = Eq( \"x y\" )", verb: .register, word: "register",
      argument: "a.b.c.Name = Eq( \"x y\" )"),
    Case(frame: "register  a.b.c", verb: .register, word: "register", argument: " a.b.c"),
    Case(frame: "register", verb: .register, word: "register", argument: ""),
    Case(frame: "register ", verb: .register, word: "register", argument: ""),
    Case(frame: "Register a.b.c", verb: nil, word: "Register", argument: "a.b.c"),
    Case(frame: "subscribe a.b.c", verb: nil, word: "subscribe", argument: "a.b.c"),
    Case(frame: "", verb: nil, word: "", argument: ""),
    Case(frame: "\r\n", verb: nil, word: "", argument: ""),
  ])
  func reads(_ c: Case) {
    let command = Command(text: c.frame)
    #expect(command.verb == c.verb)
    #expect(command.word == c.word)
    #expect(command.argument == c.argument)
    #expect(command.isValidUTF8)
  }

  @Test func flagsInvalidUTF8() {
    let command = Command(frame: Array("register a.b.".utf8) + [0xFF])
    #expect(!command.isValidUTF8)
    #expect(command.verb == .register)
  }
}
