/// What a principal may do: subscribe to events (`read`), publish them (`publish`), or both.
public struct Rights: OptionSet, Sendable, Hashable, CustomStringConvertible {
  /// The rights as bits: 1 `read`, 2 `publish`.
  public let rawValue: UInt8
  /// The rights whose bits are set in `rawValue`.
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// Open the websocket and list connections.
  public static let read = Rights(rawValue: 1)
  /// `POST /api/v3/events`.
  public static let publish = Rights(rawValue: 2)

  /// Parses `read`, `publish` or `read,publish` (either order); nil for anything else.
  public init?(parsing text: Substring) {
    var rights: Rights = []
    for word in text.split(separator: ",", omittingEmptySubsequences: false) {
      switch word {
      case "read" where !rights.contains(.read): rights.insert(.read)
      case "publish" where !rights.contains(.publish): rights.insert(.publish)
      default: return nil
      }
    }
    self = rights
  }

  public var description: String {
    [contains(.read) ? "read" : nil, contains(.publish) ? "publish" : nil]
      .compactMap { $0 }.joined(separator: ",")
  }
}
