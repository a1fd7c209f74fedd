import Testing
import Winnow

@testable import WinnowHub

/// A tokens file that parses: per credential, its principal, rights and restriction texts.
struct TokensFileCase: Sendable, CustomTestStringConvertible {
  let name: String
  let text: String
  let expected: [(token: String, principal: String, rights: Rights, restrictions: [String])]
  var testDescription: String { name }
}

/// A tokens file that is refused, with the error's line, column and message start.
struct TokensFileErrorCase: Sendable, CustomTestStringConvertible {
  let name: String
  let text: String
  let line: Int
  let column: Int?
  let message: String
  var testDescription: String { name }
}

@Suite struct CredentialStoreTests {
  static let accepted: [TokensFileCase] = [
    TokensFileCase(name: "empty", text: "", expected: []),
    TokensFileCase(
      name: "one reader", text: "t1 user:alice read\n",
      expected: [("t1", "user:alice", .read, [])]),
    TokensFileCase(
      name: "comments, blank lines, tabs and CRLF",
      text:
        "# tokens\r\n\n   # indented comment\nt1\tuser:a\tread,publish\r\nt2  user:b  publish\n",
      expected: [("t1", "user:a", [.read, .publish], []), ("t2", "user:b", .publish, [])]),
    TokensFileCase(
      name: "rights in either order", text: "t publish,read read",
      expected: [("t", "publish,read", .read, [])]),
    TokensFileCase(
      name: "restrictions", text: "t user:r read machines.*.* jobs.*.*",
      expected: [("t", "user:r", .read, ["machines.*.*", "jobs.*.*"])]),
    TokensFileCase(
      name: "a restriction whose filter holds blanks",
      text: #"t user:r read machines.*.*.Name=Eq("a b") profiles.*.*"#,
      expected: [("t", "user:r", .read, [#"machines.*.*.Name=Eq("a b")"#, "profiles.*.*"])]),
    TokensFileCase(
      name: "a Basic-style token", text: "rocketskates:r0cketsk8ts user:rocketskates read,publish",
      expected: [("rocketskates:r0cketsk8ts", "user:rocketskates", [.read, .publish], [])]),
  ]

  @Test(arguments: accepted)
  func parses(_ c: TokensFileCase) throws {
    let store = try CredentialStore(parsingTokensFile: c.text)
    #expect(store.credentials.count == c.expected.count)
    for (credential, expected) in zip(store.credentials, c.expected) {
      #expect(credential.token == Array(expected.token.utf8))
      #expect(credential.principal == expected.principal)
      #expect(credential.rights == expected.rights)
      #expect(credential.restrictions.map(\.canonicalText) == expected.restrictions)
    }
  }

  static let refused: [TokensFileErrorCase] = [
    TokensFileErrorCase(
      name: "two fields", text: "# c\nt user:a\n", line: 2, column: nil,
      message: "expected TOKEN PRINCIPAL RIGHTS"),
    TokensFileErrorCase(
      name: "unknown right", text: "t user:a write", line: 1, column: 10, message: "rights must be"),
    TokensFileErrorCase(
      name: "empty right", text: "t user:a read,", line: 1, column: 10, message: "rights must be"),
    TokensFileErrorCase(
      name: "duplicate right", text: "t user:a read,read", line: 1, column: 10,
      message: "rights must be"),
    TokensFileErrorCase(
      name: "token given twice", text: "t a read\nu b read\nt c read", line: 3, column: 1,
      message: "the token of line 1 is given again"),
    TokensFileErrorCase(
      name: "bad restriction, column in the line", text: "t user:a read machines..x", line: 1,
      column: 24, message: "invalid restriction specifier"),
    TokensFileErrorCase(
      name: "second restriction bad", text: "t user:a read a.b.c x.y", line: 1, column: 24,
      message: "invalid restriction specifier"),
  ]

  @Test(arguments: refused)
  func refuses(_ c: TokensFileErrorCase) {
    do {
      _ = try CredentialStore(parsingTokensFile: c.text)
      Issue.record("accepted \(c.text)")
    } catch {
      #expect(error.line == c.line)
      #expect(error.column == c.column)
      #expect(error.message.hasPrefix(c.message), "\(error.message)")
    }
  }

  @Test func errorsNeverQuoteTokens() {
    let secret = "s3cr3t-token"
    for text in [
      "\(secret) a", "\(secret) a nope", "\(secret) a read\n\(secret) b read",
      "\(secret) a read x..y",
    ] {
      do {
        _ = try CredentialStore(parsingTokensFile: text)
        Issue.record("accepted \(text)")
      } catch {
        #expect(!error.description.contains(secret))
      }
    }
  }

  @Test func authenticatesKnownTokensOnly() throws {
    let store = try CredentialStore(parsingTokensFile: "abc user:a read\nabcd user:b publish\n")
    #expect(store.authenticate("abc")?.principal == "user:a")
    #expect(store.authenticate("abcd")?.principal == "user:b")
    #expect(store.authenticate("ab") == nil)
    #expect(store.authenticate("abcde") == nil)
    #expect(store.authenticate("") == nil)
    #expect(store.authenticate(nil) == nil)
  }

  @Test func noAuthMakesEveryoneAnonymous() {
    for token in [nil, "", "anything"] as [String?] {
      let credential = CredentialStore.noAuth.authenticate(token)
      #expect(credential?.principal == "anonymous")
      #expect(credential?.rights == [.read, .publish])
    }
  }

  @Test func shortTokenIsAReadPublishUser() {
    let store = CredentialStore([CredentialStore.shortToken("t0k")])
    #expect(store.authenticate("t0k")?.principal == "user:token")
    #expect(store.authenticate("t0k")?.rights == [.read, .publish])
  }

  struct EqualityCase: Sendable {
    let a: String
    let b: String
    let equal: Bool
  }

  @Test(arguments: [
    EqualityCase(a: "", b: "", equal: true),
    EqualityCase(a: "a", b: "a", equal: true),
    EqualityCase(a: "a", b: "", equal: false),
    EqualityCase(a: "", b: "a", equal: false),
    EqualityCase(a: "abc", b: "abd", equal: false),
    EqualityCase(a: "abc", b: "abc\0", equal: false),
    EqualityCase(
      a: String(repeating: "x", count: 300), b: String(repeating: "x", count: 44), equal: false),
  ])
  func constantTimeEquality(_ c: EqualityCase) {
    #expect(CredentialStore.constantTimeEquals(Array(c.a.utf8), Array(c.b.utf8)) == c.equal)
  }
}
