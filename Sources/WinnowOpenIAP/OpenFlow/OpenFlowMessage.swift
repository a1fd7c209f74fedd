import Winnow

/// One OpenFlow websocket message (SPEC section 11): a JSON object `{"id", "replyto",
/// "command", "data", "count", "index", "priority"}` whose `data` is a string holding the
/// command's JSON, or one slice of it when the message is chunked.
public struct OpenFlowMessage: Sendable, Hashable {
  /// The message id; chunks of one message share it.
  ///
  /// A missing id is replaced by a fresh one.
  public var id: String
  /// The id of the message this one answers.
  public var replyTo: String?
  /// The command (`signin`, `watch`, `pong`, ...); nil when the message has none (an error).
  public var command: String?
  /// The command's JSON, or a slice of it.
  public var data: String?
  /// How many chunks the message has (1 when it is not chunked).
  public var count: Int
  /// This chunk's place, 0..<count.
  public var index: Int
  /// The sender's priority, when given as a number.
  public var priority: Int?

  /// Creates a message; the defaults are those of an unchunked message.
  public init(
    id: String, replyTo: String? = nil, command: String?, data: String?, count: Int = 1,
    index: Int = 0, priority: Int? = 1
  ) {
    self.id = id
    self.replyTo = replyTo
    self.command = command
    self.data = data
    self.count = count
    self.index = index
    self.priority = priority
  }

  /// Parses one text frame.
  ///
  /// `count` and `index` may be numbers or numeric strings; `data` that is not a string (a client
  /// that sent the object itself) is taken as its minified JSON.
  public init(parsing frame: [UInt8], limits: JSONLimits = JSONLimits()) throws(OpenFlowError) {
    let value: JSONValue
    do {
      value = try JSONDocument(parsing: frame, limits: limits).value
    } catch {
      throw OpenFlowError("message is not JSON: \(error.message) at byte \(error.offset)")
    }
    guard case .object(let object) = value else {
      throw OpenFlowError("message is a JSON \(value.kindName), not an object")
    }
    let id = Self.text(object["id"]) ?? MessageIDGenerator.next()
    func integer(_ name: String, default fallback: Int) throws(OpenFlowError) -> Int {
      switch object[name] {
      case nil, .null?: return fallback
      case .number(let n)?:
        if let exact = Int(exactly: n.value) { return exact }
      case .string(let s)?:
        if !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(s) { return n }
      default: break
      }
      throw OpenFlowError(
        "\(name) must be a whole number or a string of digits, not \(object[name]!.minified)",
        messageID: id)
    }
    let count = try integer("count", default: 1)
    let index = try integer("index", default: 0)
    guard count >= 1 else { throw OpenFlowError("count must be at least 1", messageID: id) }
    guard index >= 0 && index < count else {
      throw OpenFlowError("index \(index) is outside 0..<\(count)", messageID: id)
    }
    let data: String?
    switch object["data"] {
    case nil, .null?: data = nil
    case .string(let s)?: data = s
    case let other?: data = other.minified
    }
    var priority: Int? = nil
    if case .number(let n)? = object["priority"] { priority = Int(exactly: n.value) }
    self.init(
      id: id, replyTo: Self.text(object["replyto"]), command: Self.text(object["command"]),
      data: data, count: count, index: index, priority: priority)
  }

  /// A string member, or a number member as written (some clients send numeric ids).
  private static func text(_ value: JSONValue?) -> String? {
    switch value {
    case .string(let s)?: return s
    case .number(let n)?: return n.lexeme
    default: return nil
    }
  }

  /// The message as one JSON text frame; `count` and `index` are numbers.
  public var serialized: String {
    var out: [UInt8] = []
    out.reserveCapacity((data?.utf8.count ?? 0) + 128)
    out.append(contentsOf: #"{"id":"#.utf8)
    JSONStringWriter.appendQuoted(id.utf8, to: &out)
    if let replyTo {
      out.append(contentsOf: #","replyto":"#.utf8)
      JSONStringWriter.appendQuoted(replyTo.utf8, to: &out)
    }
    if let command {
      out.append(contentsOf: #","command":"#.utf8)
      JSONStringWriter.appendQuoted(command.utf8, to: &out)
    }
    if let data {
      out.append(contentsOf: #","data":"#.utf8)
      JSONStringWriter.appendQuoted(data.utf8, to: &out)
    }
    out.append(contentsOf: #","count":\#(count),"index":\#(index)"#.utf8)
    if let priority { out.append(contentsOf: #","priority":\#(priority)"#.utf8) }
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
  }
}
