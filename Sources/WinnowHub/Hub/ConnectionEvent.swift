import NIOCore
import Winnow

/// DRP's `connections.create.<principal>` and `connections.destroy.<principal>` events, which the
/// hub publishes when a client connects and disconnects.
struct ConnectionEvent {
  enum Action: String {
    case create, destroy
  }

  let action: Action
  let connection: HubConnection

  /// `{"Time":...,"Type":"connections","Action":...,"Key":PRINCIPAL,"Principal":PRINCIPAL,
  /// "Object":{"RemoteAddr":...,"Principal":...,"CreateTime":...}}`.
  var value: JSONValue {
    .object(
      JSONObject([
        ("Time", .string(Timestamp.now().rfc3339)),
        ("Type", "connections"),
        ("Action", .string(action.rawValue)),
        ("Key", .string(connection.principal)),
        ("Principal", .string(connection.principal)),
        (
          "Object",
          .object(
            JSONObject([
              ("RemoteAddr", .string(connection.remoteAddress)),
              ("Principal", .string(connection.principal)),
              ("CreateTime", .string(connection.createTime.rfc3339)),
            ]))
        ),
      ]))
  }

  var bytes: ByteBuffer { ByteBuffer(string: value.minified) }
}
