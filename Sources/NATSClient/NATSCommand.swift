import NIOCore

/// Writers of the client's half of the protocol into an outbound buffer. Callers have checked
/// subjects and sizes; these only format.
extension ByteBuffer {
  /// `PUB subject [reply] size CRLF payload CRLF`, or `HPUB subject [reply] header-size
  /// total-size CRLF headers payload CRLF` when there are headers.
  mutating func writeNATSPublish(
    subject: String, replyTo: String?, headers: [UInt8]?, payload: ByteBuffer
  ) {
    if let headers {
      writeStaticString("HPUB ")
      writeString(subject)
      if let replyTo {
        writeStaticString(" ")
        writeString(replyTo)
      }
      writeStaticString(" ")
      writeDecimal(headers.count)
      writeStaticString(" ")
      writeDecimal(headers.count + payload.readableBytes)
      writeStaticString("\r\n")
      writeBytes(headers)
    } else {
      writeStaticString("PUB ")
      writeString(subject)
      if let replyTo {
        writeStaticString(" ")
        writeString(replyTo)
      }
      writeStaticString(" ")
      writeDecimal(payload.readableBytes)
      writeStaticString("\r\n")
    }
    writeImmutableBuffer(payload)
    writeStaticString("\r\n")
  }

  /// `SUB subject [queue] sid CRLF`.
  mutating func writeNATSSubscribe(subject: String, queueGroup: String?, sid: UInt64) {
    writeStaticString("SUB ")
    writeString(subject)
    if let queueGroup {
      writeStaticString(" ")
      writeString(queueGroup)
    }
    writeStaticString(" ")
    writeDecimal(Int(sid))
    writeStaticString("\r\n")
  }

  /// `UNSUB sid CRLF`.
  mutating func writeNATSUnsubscribe(sid: UInt64) {
    writeStaticString("UNSUB ")
    writeDecimal(Int(sid))
    writeStaticString("\r\n")
  }

  /// `CONNECT {json} CRLF`.
  mutating func writeNATSConnect(_ options: NATSConnectOptions) {
    writeStaticString("CONNECT ")
    writeString(options.json)
    writeStaticString("\r\n")
  }

  /// A non-negative integer in decimal (a small string: no allocation).
  mutating func writeDecimal(_ value: Int) {
    writeString(String(value))
  }
}

/// The client's `CONNECT` options.
struct NATSConnectOptions: Sendable {
  var name: String?
  var user: String?
  var password: String?
  var token: String?
  var headers: Bool
  var echo: Bool

  /// The JSON object.
  ///
  /// `verbose` is off (no `+OK` per command) and `pedantic` is off.
  var json: String {
    var fields = [
      #""verbose":false"#, #""pedantic":false"#, #""tls_required":false"#,
      #""lang":"swift""#, #""version":"\#(NATSClient.version)""#, #""protocol":1"#,
      #""headers":\#(headers)"#, #""no_responders":\#(headers)"#, #""echo":\#(echo)"#,
    ]
    if let name { fields.append(#""name":\#(jsonString(name))"#) }
    if let user { fields.append(#""user":\#(jsonString(user))"#) }
    if let password { fields.append(#""pass":\#(jsonString(password))"#) }
    if let token { fields.append(#""auth_token":\#(jsonString(token))"#) }
    return "{" + fields.joined(separator: ",") + "}"
  }
}

/// `value` as a JSON string literal.
func jsonString(_ value: String) -> String {
  var out = "\""
  for scalar in value.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if scalar.value < 0x20 {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}
