/// Where `winnow watch` connects: a DRP endpoint given as `ws://`, `wss://`, `http://` or
/// `https://HOST[:PORT][/PREFIX]`, and the two URLs derived from it, `/api/v3/info` and
/// `/api/v3/ws` (SPEC section 9).
///
/// The URL names DRP's base. A path ending in `/api/v3/ws`, `/api/v3/info` or `/api/v3` is
/// taken back to the base, so the websocket URL itself works too; any other path is a prefix
/// (a reverse proxy's) that both endpoints are placed under. The port defaults to 80 or 443 as
/// in every URL. A `token` (or `Token`) query parameter is the credential when no `--token` is
/// given; other query parameters are passed on to the websocket URL.
public struct WatchEndpoint: Sendable, Equatable {
  /// Whether the connection uses TLS (`wss://` or `https://`).
  public let usesTLS: Bool
  /// The host name or address, without IPv6 brackets.
  public let host: String
  /// The TCP port.
  public let port: Int
  /// The path before `/api/v3` (empty, or starting with `/` and not ending with one).
  public let pathPrefix: String
  /// The query of the URL without its token, passed on to the websocket URL (may be empty).
  public let query: String
  /// The token given in the URL's query (`token=` or `Token=`), percent-decoded.
  public let queryToken: String?

  /// Why a URL is not a DRP endpoint.
  public struct InvalidURL: Error, Equatable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    public var description: String { message }
  }

  /// Parses `text`, the endpoint URL a user typed.
  public init(parsing text: String) throws(InvalidURL) {
    var rest = Substring(text)
    let lower = text.lowercased()
    let tls: Bool
    if lower.hasPrefix("wss://") || lower.hasPrefix("https://") {
      tls = true
    } else if lower.hasPrefix("ws://") || lower.hasPrefix("http://") {
      tls = false
    } else {
      throw InvalidURL(
        message: "'\(text)' is not a DRP endpoint: give ws://, wss://, http:// or https://HOST:PORT"
      )
    }
    rest = rest[rest.index(after: rest.firstIndex(of: ":")!)...].dropFirst(2)
    if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }

    var query = Substring("")
    if let mark = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: mark)...]
      rest = rest[..<mark]
    }
    var authority = rest
    var path = Substring("")
    if let slash = rest.firstIndex(of: "/") {
      authority = rest[..<slash]
      path = rest[slash...]
    }
    if authority.contains("@") {
      throw InvalidURL(
        message: "'\(text)': give the token with --token, not in the URL's user part")
    }

    let hostPart: Substring
    var portPart: Substring?
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else {
        throw InvalidURL(message: "'\(text)': unclosed '[' in the host")
      }
      hostPart = authority[authority.index(after: authority.startIndex)..<close]
      let after = authority[authority.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":") else {
          throw InvalidURL(message: "'\(text)': unexpected text after ']'")
        }
        portPart = after.dropFirst()
      }
    } else if let colon = authority.lastIndex(of: ":") {
      hostPart = authority[..<colon]
      portPart = authority[authority.index(after: colon)...]
    } else {
      hostPart = authority
    }
    guard !hostPart.isEmpty else { throw InvalidURL(message: "'\(text)' has no host") }
    if let bad = hostPart.first(where: { $0 == " " || $0 == "\t" || $0 == "%" }) {
      throw InvalidURL(message: "'\(text)': '\(bad)' in the host")
    }
    var port = tls ? 443 : 80
    if let portPart {
      guard let value = Int(portPart), (1...65535).contains(value), portPart.allSatisfy(\.isASCII)
      else {
        throw InvalidURL(message: "'\(text)': the port must be a number from 1 to 65535")
      }
      port = value
    }

    // The endpoint's own paths are taken back to DRP's base.
    while path.hasSuffix("/") { path = path.dropLast() }
    for suffix in ["/api/v3/ws", "/api/v3/info", "/api/v3"] where path.hasSuffix(suffix) {
      path = path.dropLast(suffix.count)
      break
    }
    while path.hasSuffix("/") { path = path.dropLast() }

    var kept: [Substring] = []
    var token: String?
    for item in query.split(separator: "&", omittingEmptySubsequences: true) {
      let name = item.prefix { $0 != "=" }
      if name == "token" || name == "Token" {
        token = WatchEndpoint.percentDecoded(item.dropFirst(name.count + 1))
      } else {
        kept.append(item)
      }
    }

    usesTLS = tls
    host = String(hostPart)
    self.port = port
    pathPrefix = String(path)
    self.query = kept.joined(separator: "&")
    queryToken = token
  }

  /// The host as written in a URL's authority (IPv6 addresses in brackets) with the port.
  public var authority: String {
    (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
  }

  /// The path of DRP's info endpoint, for the request line.
  public var infoPath: String { pathPrefix + "/api/v3/info" }

  /// The path and query of DRP's websocket endpoint, for the request line.
  public var websocketPath: String {
    pathPrefix + "/api/v3/ws" + (query.isEmpty ? "" : "?" + query)
  }

  /// The websocket URL (`ws://` or `wss://`); the token is not in it.
  public var websocketURL: String {
    (usesTLS ? "wss://" : "ws://") + authority + websocketPath
  }

  /// The info URL (`http://` or `https://`), for messages.
  public var infoURL: String {
    (usesTLS ? "https://" : "http://") + authority + infoPath
  }

  /// Whether the host is an IPv4 or IPv6 address rather than a name.
  public var hostIsAddress: Bool {
    host.contains(":")
      || (!host.isEmpty && host.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber })
  }

  /// `%XX` sequences decoded and `+` read as a space (as in a form-encoded query); an invalid
  /// sequence is kept as written.
  static func percentDecoded(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let b = utf8.popFirst() {
      if b == UInt8(ascii: "%"), utf8.count >= 2,
        let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1])
      {
        bytes.append(high << 4 | low)
        utf8 = utf8.dropFirst(2)
      } else if b == UInt8(ascii: "+") {
        bytes.append(UInt8(ascii: " "))
      } else {
        bytes.append(b)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
