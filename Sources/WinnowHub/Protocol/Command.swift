/// A command frame from a DRP websocket client (SPEC section 9): `register SPECIFIER` or
/// `deregister SPECIFIER`, one per text frame.
public struct Command: Sendable, Equatable {
  /// The command word.
  public enum Verb: String, Sendable {
    /// `register SPECIFIER`: add a reference.
    case register
    /// `deregister SPECIFIER`: remove a reference.
    case deregister
  }

  /// What the frame asks for, or nil for a word that is not a command.
  public let verb: Verb?
  /// The command word as received (up to the first space).
  public let word: String
  /// The text after the first space, as received (the ack's `Key`); empty when there is none.
  public let argument: String
  /// Whether the frame was valid UTF-8 (websocket text frames must be; invalid bytes are shown
  /// as U+FFFD in `word` and `argument`).
  public let isValidUTF8: Bool

  /// Reads one frame: a trailing CR/LF is ignored; the word runs to the first space and the
  /// argument is the rest, taken as it is.
  public init(frame: some Collection<UInt8>) {
    var end = frame.endIndex
    var start = frame.startIndex
    // Drop trailing CR and LF bytes (CRLF, LF, or CR).
    var count = frame.count
    while count > 0 {
      let last = frame.index(start, offsetBy: count - 1)
      guard frame[last] == 0x0A || frame[last] == 0x0D else { break }
      end = last
      count -= 1
    }
    let body = frame[start..<end]
    isValidUTF8 = String(validating: body, as: UTF8.self) != nil
    if let space = body.firstIndex(of: 0x20) {
      word = String(decoding: body[start..<space], as: UTF8.self)
      start = body.index(after: space)
      argument = String(decoding: body[start..<end], as: UTF8.self)
    } else {
      word = String(decoding: body, as: UTF8.self)
      argument = ""
    }
    verb = Verb(rawValue: word)
  }

  /// Reads a frame given as text.
  public init(text: String) { self.init(frame: Array(text.utf8)) }
}
