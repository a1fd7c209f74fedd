import SwiftProtobuf

@testable import WinnowOpenIAP

/// Builders shared by the tests.
enum Wire {
  /// An Envelope with the given fields.
  static func envelope(
    _ command: String, seq: Int32 = 0, id: String = "", data: (any Message)? = nil
  )
    -> Openiap_Envelope
  {
    var envelope = Openiap_Envelope()
    envelope.command = command
    envelope.seq = seq
    envelope.id = id
    if let data { envelope.data = Openiap_Envelope.packed(data) }
    return envelope
  }

  /// The length-prefixed bytes of `envelope`, as one buffer.
  static func framed(_ envelope: Openiap_Envelope) -> [UInt8] {
    let body: [UInt8] = try! envelope.serializedBytes()
    return OpenIAPStreamWriter.lengthPrefix(body.count) + body
  }

  /// A token checker knowing `secret` (principal `user:alice`, may watch) and `reader:pw`
  /// (principal `user:reader`), and `publisher` (principal `user:pub`, may not watch).
  static let authenticate: TokenAuthenticator = { token, username in
    switch token {
    case "secret":
      return SignedInUser(
        principal: "user:alice", token: token, username: username ?? "user:alice", mayWatch: true)
    case "reader:pw":
      return SignedInUser(
        principal: "user:reader", token: token, username: username ?? "user:reader", mayWatch: true)
    case "publisher":
      return SignedInUser(
        principal: "user:pub", token: token, username: username ?? "user:pub", mayWatch: false)
    default:
      return nil
    }
  }
}
