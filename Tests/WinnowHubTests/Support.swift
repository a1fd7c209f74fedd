import NIOCore
import Testing
import Winnow

@testable import WinnowHub

/// Test helpers over the hub core.
enum HubTesting {
  /// Everything queued on `connection` right now, as text: events `E JSON` (`E2 JSON` for
  /// stream 2), messages `M JSON`, then `closed CODE REASON` once the queue is closed.
  static func drain(_ connection: HubConnection) -> [String] {
    var lines: [String] = []
    while true {
      var items: [Outbound] = []
      switch connection.queue.poll(into: &items) {
      case nil: return lines
      case .closed(let reason)?: return lines + ["closed \(reason)"]
      case .items?:
        for item in items {
          switch item {
          case .event(let bytes, let stream):
            lines.append("E\(stream == 0 ? "" : "\(stream)") " + String(buffer: bytes))
          case .message(let bytes): lines.append("M " + String(buffer: bytes))
          }
        }
      }
    }
  }

  /// The JSON object of an acknowledgement or event line from `drain`.
  static func object(_ line: String) throws -> JSONObject? {
    let json = String(line.drop { $0 != " " }.dropFirst())
    guard case .object(let object) = try JSONDocument(parsing: json).value else { return nil }
    return object
  }

  static func event(type: String, action: String = "save", key: String, _ extra: String = "")
    -> String
  {
    #"{"Type":"\#(type)","Action":"\#(action)","Key":"\#(key)"\#(extra)}"#
  }
}

/// A bus that records what it is told and delivers at once.
final class RecordingBus: EventBus, @unchecked Sendable {
  private var deliver: (@Sendable (ByteBuffer) -> Void)?
  var published: [String] = []
  var changes: [InterestChange] = []

  func start(deliver: @escaping @Sendable (ByteBuffer) -> Void) { self.deliver = deliver }
  func publish(_ event: ByteBuffer) {
    published.append(String(buffer: event))
    deliver?(event)
  }
  func interestChanged(_ change: InterestChange) { changes.append(change) }
}

/// A POST body with a bad line, and where the hub must report it.
///
/// A nil column stands for the line as a whole (an empty body, for one).
struct BadBodyCase: Sendable, CustomTestStringConvertible {
  let name: String
  let body: String
  let line: Int
  let column: Int?
  var testDescription: String { name }
}
