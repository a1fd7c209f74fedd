import SwiftProtobuf

extension Openiap_Envelope {
  /// The reply to `request`: `rid` = its `id`, a new `id`, `command` as given and `message`
  /// packed with type_url `type.googleapis.com/openiap.<Message>`.
  static func reply(to request: Openiap_Envelope, command: String, _ message: some Message)
    -> Openiap_Envelope
  {
    var reply = Openiap_Envelope()
    reply.command = command
    reply.id = MessageIDGenerator.next()
    reply.rid = request.id
    reply.data = packed(message)
    return reply
  }

  /// An `error` reply to `request` carrying an ErrorResponse.
  static func error(to request: Openiap_Envelope, _ code: OpenIAPErrorCode, _ message: String)
    -> Openiap_Envelope
  {
    var response = Openiap_ErrorResponse()
    response.message = message
    response.code = code.rawValue
    return reply(to: request, command: "error", response)
  }

  /// `message` in an Any.
  ///
  /// Packing serializes a message built in Swift, which cannot fail for proto3 messages without
  /// required fields.
  package static func packed(_ message: some Message) -> Google_Protobuf_Any {
    var any = Google_Protobuf_Any()
    any.typeURL = "type.googleapis.com/\(type(of: message).protoMessageName)"
    do {
      any.value = try message.serializedBytes()
    } catch {
      preconditionFailure("a proto3 message failed to serialize: \(error)")
    }
    return any
  }

  /// The request's `data` read as `M`, whatever its type_url; a missing `data` is an empty `M`.
  func payload<M: Message>(as type: M.Type) throws -> M {
    guard hasData else { return M() }
    return try M(serializedBytes: data.value)
  }
}
