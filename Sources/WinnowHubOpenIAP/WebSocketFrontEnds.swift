import HummingbirdWebSocket
import NIOCore
import WinnowHub
import WinnowOpenIAP

/// The websocket front-ends on the hub's main listener: OpenIAP at `/ws/v2` and OpenFlow at
/// `/ws/v1` and `/` (SPEC sections 10 and 11).
///
/// The hub routes an upgraded connection here; clients sign in with a command, not at the upgrade,
/// so that a bad token fails `signin` as OpenIAP clients expect.
package enum WebSocketFrontEnds {
  /// Serves one OpenIAP client: binary messages carry the length-prefixed Envelope stream,
  /// read across message boundaries; each Envelope sent is two messages, its length then its
  /// bytes.
  package static func serveOpenIAP(
    inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, remoteAddress: String,
    context: FrontEndContext, frameLimit: Int = LengthPrefixedFrameDecoder.defaultFrameLimit
  ) async {
    let sink = ByteStreamEnvelopeSink { prefix, body in
      try await outbound.write(.binary(ByteBuffer(bytes: prefix)))
      try await outbound.write(.binary(ByteBuffer(bytes: body)))
    }
    let connection = OpenIAPConnection(
      context: context, remoteAddress: remoteAddress, frontEnd: "openiap-websocket", sink: sink)
    let reason = await connection.run {
      var reader = OpenIAPStreamReader(frameLimit: frameLimit)
      // A message never holds more than one frame and its 4-byte prefix past what the reader
      // accepts; the reader refuses a larger length before its body arrives.
      for try await message in inbound.messages(maxSize: frameLimit + 8) {
        switch message {
        case .binary(let buffer): reader.append(buffer.readableBytesView)
        case .text(let text): reader.append(text.utf8)
        }
        while let envelope = try reader.next() {
          try await connection.handle(envelope)
        }
      }
    }
    if let reason {
      try? await outbound.close(.init(codeNumber: Int(reason.code)), reason: reason.reason)
    }
  }

  /// Serves one OpenFlow client: JSON text messages, chunked both ways.
  package static func serveOpenFlow(
    inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, remoteAddress: String,
    context: FrontEndContext, messageLimit: Int = 16 << 20
  ) async {
    let connection = OpenFlowConnection(context: context, remoteAddress: remoteAddress) { frame in
      try await outbound.write(.text(frame))
    }
    let reason = await connection.run {
      for try await message in inbound.messages(maxSize: messageLimit) {
        switch message {
        case .text(let text): try await connection.handle(frame: Array(text.utf8))
        case .binary(let buffer):
          try await connection.handle(frame: Array(buffer.readableBytesView))
        }
      }
    }
    if let reason {
      try? await outbound.close(.init(codeNumber: Int(reason.code)), reason: reason.reason)
    }
  }
}
