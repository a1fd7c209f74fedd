/// A server to connect to: `nats://host:port`, `host:port`, `host` (port 4222) or `[v6]:port`.
public struct NATSServerAddress: Hashable, Sendable, CustomStringConvertible {
  /// The host name or address, without IPv6 brackets.
  public var host: String
  /// The TCP port.
  public var port: Int
  /// The user of the URL's `user:password@`, if any.
  public var user: String?
  /// The password of the URL's `user:password@`, if any.
  public var password: String?

  /// The server at `host` and `port`, without credentials.
  public init(host: String, port: Int = 4222) {
    self.host = host
    self.port = port
  }

  /// Parses a URL or `host:port`; nil when it is neither.
  ///
  /// `user:password@` before the host is kept for `CONNECT`; a user without password is a token.
  public init?(_ text: some StringProtocol) {
    var rest = Substring(text.trimmingWhitespace)
    if let scheme = rest.firstRange(of: "://") {
      guard rest[..<scheme.lowerBound] == "nats" || rest[..<scheme.lowerBound] == "tcp" else {
        return nil
      }
      rest = rest[scheme.upperBound...]
    }
    while rest.last == "/" { rest.removeLast() }
    if let at = rest.lastIndex(of: "@") {
      let credentials = rest[..<at]
      rest = rest[rest.index(after: at)...]
      if let colon = credentials.firstIndex(of: ":") {
        user = String(credentials[..<colon])
        password = String(credentials[credentials.index(after: colon)...])
      } else {
        user = String(credentials)
      }
    }
    var portText: Substring? = nil
    if rest.first == "[" {
      guard let close = rest.firstIndex(of: "]") else { return nil }
      host = String(rest[rest.index(after: rest.startIndex)..<close])
      let after = rest[rest.index(after: close)...]
      if !after.isEmpty {
        guard after.first == ":" else { return nil }
        portText = after.dropFirst()
      }
    } else if let colon = rest.lastIndex(of: ":") {
      host = String(rest[..<colon])
      portText = rest[rest.index(after: colon)...]
    } else {
      host = String(rest)
    }
    port = 4222
    if let portText {
      guard let value = Int(portText), (1...65535).contains(value) else { return nil }
      port = value
    }
    guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" || $0 == "@" }) else {
      return nil
    }
  }

  /// `nats://host:port`, without credentials.
  public var description: String {
    host.contains(":") ? "nats://[\(host)]:\(port)" : "nats://\(host):\(port)"
  }
}

extension StringProtocol {
  fileprivate var trimmingWhitespace: SubSequence {
    let start = firstIndex { !$0.isWhitespace } ?? endIndex
    let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
    return self[start..<end]
  }
}
