import Testing

@testable import WinnowHub

@Suite struct PresentedTokenTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    var query: String? = nil
    var authorization: String? = nil
    let token: String?
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "nothing", token: nil),
    Case(name: "query", query: "abc", token: "abc"),
    Case(name: "query wins over header", query: "q", authorization: "Bearer h", token: "q"),
    Case(name: "bearer", authorization: "Bearer abc", token: "abc"),
    Case(name: "bearer, any case, extra blanks", authorization: "  bearer   abc  ", token: "abc"),
    Case(name: "bearer without token", authorization: "Bearer", token: nil),
    // base64("rocketskates:r0cketsk8ts")
    Case(
      name: "basic", authorization: "Basic cm9ja2V0c2thdGVzOnIwY2tldHNrOHRz",
      token: "rocketskates:r0cketsk8ts"),
    Case(name: "basic with padding", authorization: "Basic dTpw", token: "u:p"),
    Case(name: "basic, two pad characters", authorization: "Basic YQ==", token: "a"),
    Case(name: "basic, unpadded", authorization: "Basic YQ", token: "a"),
    Case(name: "basic, not base64", authorization: "Basic !!!", token: nil),
    Case(name: "basic, bad padding", authorization: "Basic Y===", token: nil),
    Case(name: "basic, not UTF-8", authorization: "Basic /w==", token: nil),
    Case(name: "unknown scheme", authorization: "Digest abc", token: nil),
  ]

  @Test(arguments: cases)
  func finds(_ c: Case) {
    #expect(PresentedToken.token(queryToken: c.query, authorization: c.authorization) == c.token)
  }

  @Test func base64RoundTrips() {
    let table: [(String, String)] = [
      ("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"),
      ("Zm9vYmE=", "fooba"), ("Zm9vYmFy", "foobar"),
    ]
    for (encoded, decoded) in table {
      #expect(Base64.decode(Substring(encoded)) == Array(decoded.utf8), "\(encoded)")
    }
    #expect(Base64.decode("Zm9=v") == nil)
    #expect(Base64.decode("Z") == nil)
  }
}
