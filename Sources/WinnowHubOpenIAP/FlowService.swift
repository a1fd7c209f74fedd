import GRPCCore
import WinnowHub
import WinnowOpenIAP

/// The gRPC front-end: service `openiap.FlowService` with its bidirectional `SetupStream` (SPEC
/// section 10).
///
/// Registered by hand (no code generator): every other method of the real service is unknown to the
/// router, so the server answers it UNIMPLEMENTED.
///
/// gRPC frames the messages itself, so there is no length prefix, and `seq` is not checked
/// (OpenIAP's Python client never sets it over gRPC).
struct FlowService: RegistrableRPCService {
  static let setupStream = MethodDescriptor(
    fullyQualifiedService: "openiap.FlowService", method: "SetupStream")

  let context: FrontEndContext

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let context = context
    router.registerHandler(
      forMethod: Self.setupStream,
      deserializer: EnvelopeDeserializer(),
      serializer: EnvelopeSerializer()
    ) { request, serverContext in
      StreamingServerResponse { writer in
        let connection = OpenIAPConnection(
          context: context, remoteAddress: serverContext.remotePeer, frontEnd: "openiap-grpc",
          sink: GRPCEnvelopeSink(writer: writer))
        _ = await connection.run {
          for try await envelope in request.messages {
            try await connection.handle(envelope)
          }
        }
        return [:]
      }
    }
  }
}

/// Writes Envelopes to a gRPC response stream.
struct GRPCEnvelopeSink: EnvelopeSink {
  let writer: RPCWriter<Openiap_Envelope>

  func send(_ envelope: Openiap_Envelope) async throws {
    try await writer.write(envelope)
  }
}
