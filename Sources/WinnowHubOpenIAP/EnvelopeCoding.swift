import GRPCCore
import SwiftProtobuf
import WinnowOpenIAP

/// gRPC's message coding for Envelopes, written here rather than taken from grpc-swift-protobuf:
/// that package's code-generator plugin makes `swift build --build-tests` build protoc (about
/// ten minutes on two cores), and two small types are all the hub needs.
struct EnvelopeSerializer: MessageSerializer {
  func serialize<Bytes: GRPCContiguousBytes>(_ message: Openiap_Envelope) throws -> Bytes {
    do {
      return Bytes(try message.serializedBytes() as [UInt8])
    } catch {
      throw RPCError(code: .internalError, message: "cannot serialize an Envelope", cause: error)
    }
  }
}

/// Reads Envelopes from gRPC messages; bytes that are not an Envelope fail the call with
/// INVALID_ARGUMENT.
struct EnvelopeDeserializer: MessageDeserializer {
  func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws
    -> Openiap_Envelope
  {
    do {
      return try serializedMessageBytes.withUnsafeBytes { raw in
        try Openiap_Envelope(serializedBytes: Array(raw))
      }
    } catch {
      throw RPCError(code: .invalidArgument, message: "malformed Envelope", cause: error)
    }
  }
}
