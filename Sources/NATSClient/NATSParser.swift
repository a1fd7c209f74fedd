import NIOCore

/// The server half of the NATS protocol as a state machine over bytes, with no I/O: append what the
/// socket delivered, then take operations with ``next()`` until it returns nil.
///
/// Any split of the stream across appends gives the same operations.
///
///     operation := "INFO" sp json crlf
///                | "MSG" sp subject sp sid [sp reply] sp size crlf payload crlf
///                | "HMSG" sp subject sp sid [sp reply] sp header-size sp total-size crlf
///                    headers payload crlf
///                | "PING" crlf | "PONG" crlf | "+OK" crlf | "-ERR" sp text crlf
///
/// Operation names are matched without regard to ASCII case; `sp` is one or more spaces or
/// tabs; a bare LF ends a control line too (as the server's own parser allows).
public struct NATSParser: Sendable {
  /// The bounds the parser enforces.
  public let limits: NATSParserLimits
  /// Bytes received and not yet consumed.
  private var buffer: ByteBuffer
  /// How many bytes at the front of `buffer` are known to hold no LF, so a control line that
  /// arrives one byte at a time is scanned once, not once per byte.
  private var scanned = 0
  /// Stream offset of `buffer`'s first readable byte.
  private var consumed = 0
  /// A message whose control line has been read and whose body has not fully arrived.
  private var pending: PendingMessage?

  private struct PendingMessage: Sendable {
    var subject: String
    var sid: UInt64
    var replyTo: String?
    var headerSize: Int?  // nil for MSG
    var totalSize: Int
  }

  /// A parser at the start of a connection's stream.
  public init(limits: NATSParserLimits = NATSParserLimits()) {
    self.limits = limits
    self.buffer = ByteBufferAllocator().buffer(capacity: 0)
  }

  /// Adds bytes that arrived from the server.
  public mutating func append(_ bytes: ByteBuffer) {
    if buffer.readableBytes == 0 && buffer.readerIndex > 0 { buffer.clear() }
    var bytes = bytes
    buffer.writeBuffer(&bytes)
  }

  /// Adds bytes that arrived from the server.
  public mutating func append(_ bytes: some Sequence<UInt8>) {
    if buffer.readableBytes == 0 && buffer.readerIndex > 0 { buffer.clear() }
    buffer.writeBytes(bytes)
  }

  /// Bytes held that do not yet form a whole operation.
  public var bufferedByteCount: Int { buffer.readableBytes }

  /// The next whole operation, or nil when more bytes are needed.
  ///
  /// After an error the stream is not the NATS protocol and the connection should be closed.
  public mutating func next() throws(NATSProtocolError) -> NATSServerOperation? {
    if let message = pending {
      return try body(of: message)
    }
    let view = buffer.readableBytesView
    let searchStart = view.startIndex + scanned
    guard let lf = view[searchStart...].firstIndex(of: UInt8(ascii: "\n")) else {
      scanned = view.count
      if view.count > limits.maxControlLineLength + 1 {  // +1: a CR may still come
        throw NATSProtocolError(
          .controlLineTooLong,
          "control line longer than \(limits.maxControlLineLength) bytes", at: consumed)
      }
      return nil
    }
    var lineLength = lf - view.startIndex
    if lineLength > 0 && view[lf - 1] == UInt8(ascii: "\r") { lineLength -= 1 }
    if lineLength > limits.maxControlLineLength {
      throw NATSProtocolError(
        .controlLineTooLong, "control line longer than \(limits.maxControlLineLength) bytes",
        at: consumed)
    }
    let lineStart = consumed
    let operation = try buffer.withUnsafeReadableBytes { raw throws(NATSProtocolError) in
      try parseControlLine(UnsafeRawBufferPointer(rebasing: raw[0..<lineLength]), at: lineStart)
    }
    let total = lf - view.startIndex + 1
    buffer.moveReaderIndex(forwardBy: total)
    consumed += total
    scanned = 0
    compactIfWorthwhile()
    switch operation {
    case .done(let op): return op
    case .message(let message):
      pending = message
      return try body(of: message)
    }
  }

  private enum ControlLine {
    case done(NATSServerOperation)
    case message(PendingMessage)
  }

  // MARK: - Control lines

  private func parseControlLine(_ line: UnsafeRawBufferPointer, at offset: Int)
    throws(NATSProtocolError) -> ControlLine
  {
    var nameEnd = 0
    while nameEnd < line.count && !isSpace(line[nameEnd]) { nameEnd += 1 }
    let name = UnsafeRawBufferPointer(rebasing: line[0..<nameEnd])
    var argsStart = nameEnd
    while argsStart < line.count && isSpace(line[argsStart]) { argsStart += 1 }
    let args = UnsafeRawBufferPointer(rebasing: line[argsStart...])
    let argsOffset = offset + argsStart

    if equalsIgnoringCase(name, "MSG") {
      return .message(try parseMessageArguments(args, at: argsOffset, headers: false))
    }
    if equalsIgnoringCase(name, "HMSG") {
      return .message(try parseMessageArguments(args, at: argsOffset, headers: true))
    }
    if equalsIgnoringCase(name, "PING") || equalsIgnoringCase(name, "PONG")
      || equalsIgnoringCase(name, "+OK")
    {
      guard args.isEmpty else {
        throw NATSProtocolError(
          .malformedArguments, "unexpected text after \(String(decoding: name, as: UTF8.self))",
          at: argsOffset)
      }
      if equalsIgnoringCase(name, "PING") { return .done(.ping) }
      if equalsIgnoringCase(name, "PONG") { return .done(.pong) }
      return .done(.ok)
    }
    if equalsIgnoringCase(name, "-ERR") {
      var text = Substring(String(decoding: args, as: UTF8.self))
      while text.last == " " || text.last == "\t" { text.removeLast() }
      if text.count >= 2 && text.first == "'" && text.last == "'" {
        text = text.dropFirst().dropLast()
      }
      return .done(.error(String(text)))
    }
    if equalsIgnoringCase(name, "INFO") {
      do {
        return .done(.info(try NATSServerInfo.decode(Array(args))))
      } catch {
        throw NATSProtocolError(.malformedInfo, "INFO is not a valid JSON object", at: argsOffset)
      }
    }
    let shown = String(decoding: name.prefix(16), as: UTF8.self)
    throw NATSProtocolError(
      .unknownOperation, "unknown operation '\(shown.isEmpty ? "(empty line)" : shown)'", at: offset
    )
  }

  /// `subject sid [reply] size` or, for HMSG, `subject sid [reply] header-size total-size`.
  private func parseMessageArguments(
    _ args: UnsafeRawBufferPointer, at offset: Int, headers: Bool
  ) throws(NATSProtocolError) -> PendingMessage {
    // At most five fields; ranges into `args`.
    var fields: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (
      0..<0, 0..<0, 0..<0, 0..<0, 0..<0
    )
    let op = headers ? "HMSG" : "MSG"
    let sizes = headers ? 2 : 1
    var count = 0
    var i = 0
    while i < args.count {
      while i < args.count && isSpace(args[i]) { i += 1 }
      if i == args.count { break }
      let start = i
      while i < args.count && !isSpace(args[i]) { i += 1 }
      if count == 3 + sizes {
        throw NATSProtocolError(
          .malformedArguments, "too many arguments for \(op)", at: offset + start)
      }
      switch count {
      case 0: fields.0 = start..<i
      case 1: fields.1 = start..<i
      case 2: fields.2 = start..<i
      case 3: fields.3 = start..<i
      case 4: fields.4 = start..<i
      default: fields.4 = start..<i
      }
      count += 1
    }
    guard count == 2 + sizes || count == 3 + sizes else {
      throw NATSProtocolError(
        .malformedArguments,
        "\(op) needs subject, sid, optional reply subject and \(headers ? "two sizes" : "a size")",
        at: offset)
    }
    let all = [fields.0, fields.1, fields.2, fields.3, fields.4]
    func text(_ r: Range<Int>) -> String {
      String(decoding: UnsafeRawBufferPointer(rebasing: args[r]), as: UTF8.self)
    }
    func number(_ r: Range<Int>, _ what: String) throws(NATSProtocolError) -> Int {
      guard r.count <= 18 else {
        throw NATSProtocolError(
          .malformedArguments, "\(what) is too large", at: offset + r.lowerBound)
      }
      var value = 0
      for j in r {
        let digit = args[j] &- UInt8(ascii: "0")
        guard digit < 10 else {
          throw NATSProtocolError(
            .malformedArguments, "\(what) is not a decimal number", at: offset + r.lowerBound)
        }
        value = value * 10 + Int(digit)
      }
      return value
    }
    let sid = try number(all[1], "sid")
    let reply = count == 3 + sizes ? text(all[2]) : nil
    let total = try number(all[count - 1], headers ? "total size" : "size")
    var headerSize: Int? = nil
    if headers {
      let size = try number(all[count - 2], "header size")
      guard size <= total else {
        throw NATSProtocolError(
          .malformedArguments, "header size \(size) exceeds total size \(total)",
          at: offset + all[count - 2].lowerBound)
      }
      headerSize = size
    }
    if total > limits.maxMessageSize {
      throw NATSProtocolError(
        .payloadTooLarge, "message of \(total) bytes exceeds the limit of \(limits.maxMessageSize)",
        at: offset + all[count - 1].lowerBound)
    }
    return PendingMessage(
      subject: text(all[0]), sid: UInt64(sid), replyTo: reply, headerSize: headerSize,
      totalSize: total)
  }

  // MARK: - Message bodies

  private mutating func body(of message: PendingMessage) throws(NATSProtocolError)
    -> NATSServerOperation?
  {
    guard buffer.readableBytes >= message.totalSize + 2 else { return nil }
    let terminatorOffset = consumed + message.totalSize
    var headers: NATSHeaders? = nil
    if let headerSize = message.headerSize {
      let block = buffer.readBytes(length: headerSize)!
      guard let parsed = NATSHeaders.parse(block[...]) else {
        throw NATSProtocolError(.malformedHeaders, "malformed header block", at: consumed)
      }
      headers = parsed
      consumed += headerSize
    }
    let payloadSize = message.totalSize - (message.headerSize ?? 0)
    let payload = buffer.readSlice(length: payloadSize)!
    consumed += payloadSize
    guard buffer.readInteger(as: UInt16.self) == 0x0D0A else {
      throw NATSProtocolError(
        .missingPayloadTerminator, "expected CRLF after the \(message.totalSize)-byte message",
        at: terminatorOffset)
    }
    consumed += 2
    pending = nil
    compactIfWorthwhile()
    return .message(
      NATSMessage(
        subject: message.subject, sid: message.sid, replyTo: message.replyTo, headers: headers,
        payload: payload))
  }

  /// Drops consumed bytes once they are the larger part of the buffer, so a long-lived connection
  /// does not grow its buffer.
  ///
  /// Payload slices already handed out keep their storage.
  private mutating func compactIfWorthwhile() {
    if buffer.readableBytes == 0 {
      buffer.clear()
    } else if buffer.readerIndex > 65_536 && buffer.readerIndex > buffer.readableBytes {
      buffer.discardReadBytes()
    }
  }
}

@inline(__always)
private func isSpace(_ byte: UInt8) -> Bool {
  byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
}

/// Whether `bytes` spell `name` (upper-case ASCII) ignoring ASCII case.
@inline(__always)
private func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
  guard bytes.count == name.utf8CodeUnitCount else { return false }
  let expected = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
  for i in 0..<bytes.count {
    var b = bytes[i]
    if b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") { b -= 32 }
    if b != expected[i] { return false }
  }
  return true
}
