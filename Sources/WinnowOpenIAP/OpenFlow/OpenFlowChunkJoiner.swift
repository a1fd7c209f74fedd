/// Joins the chunks of one connection's incoming messages (SPEC section 11): the chunks of an
/// id are concatenated in `index` order once all `count` of them are held.
///
/// Limits, each answered with an error that drops the offending chunk set: the number of chunk
/// sets open at once, the characters of `data` held across them, and the chunks of one set.
/// Chunks that disagree with their set (another `count`, an `index` seen before) are errors.
public struct OpenFlowChunkJoiner: Sendable {
  /// The limits of one connection.
  public struct Limits: Sendable, Hashable {
    /// Chunk sets open at once.
    public var maxOpenSets: Int
    /// UTF-8 bytes of `data` held across the open sets, and so the largest joined message.
    public var maxJoinedBytes: Int
    /// Chunks of one message.
    public var maxChunkCount: Int

    /// Creates limits; the defaults allow 32 sets, 16 MiB and 65,536 chunks.
    public init(maxOpenSets: Int = 32, maxJoinedBytes: Int = 16 << 20, maxChunkCount: Int = 65_536)
    {
      self.maxOpenSets = maxOpenSets
      self.maxJoinedBytes = maxJoinedBytes
      self.maxChunkCount = maxChunkCount
    }
  }

  /// The chunks of one id received so far.
  private struct ChunkSet: Sendable {
    var first: OpenFlowMessage
    var parts: [Int: String]
    var bytes: Int
  }

  /// The limits in force.
  public let limits: Limits
  private var open: [String: ChunkSet] = [:]
  private var heldBytes = 0

  /// Creates a joiner with `limits`.
  public init(limits: Limits = Limits()) {
    self.limits = limits
  }

  /// The number of chunk sets waiting for more chunks.
  public var openSetCount: Int { open.count }

  /// Takes one received message: returns the whole message when it is complete (at once for an
  /// unchunked one), nil while its set waits for more chunks.
  public mutating func accept(_ chunk: OpenFlowMessage) throws(OpenFlowError) -> OpenFlowMessage? {
    let size = chunk.data?.utf8.count ?? 0
    if chunk.count == 1 && open[chunk.id] == nil {
      guard size <= limits.maxJoinedBytes else {
        throw tooLarge(chunk.id, size)
      }
      return chunk
    }
    guard chunk.count <= limits.maxChunkCount else {
      throw OpenFlowError(
        "message \(chunk.id) has \(chunk.count) chunks, more than the limit of \(limits.maxChunkCount)",
        messageID: chunk.id)
    }
    var set: ChunkSet
    if let existing = open.removeValue(forKey: chunk.id) {
      set = existing
    } else {
      guard open.count < limits.maxOpenSets else {
        throw OpenFlowError(
          "more than \(limits.maxOpenSets) chunked messages are incomplete at once",
          messageID: chunk.id)
      }
      set = ChunkSet(first: chunk, parts: [:], bytes: 0)
    }
    heldBytes -= set.bytes
    guard chunk.count == set.first.count else {
      throw OpenFlowError(
        "chunk \(chunk.index) of message \(chunk.id) says count \(chunk.count), "
          + "its first chunk said \(set.first.count)", messageID: chunk.id)
    }
    guard set.parts[chunk.index] == nil else {
      throw OpenFlowError(
        "chunk \(chunk.index) of message \(chunk.id) was received twice", messageID: chunk.id)
    }
    guard heldBytes + set.bytes + size <= limits.maxJoinedBytes else {
      throw tooLarge(chunk.id, set.bytes + size)
    }
    set.parts[chunk.index] = chunk.data ?? ""
    set.bytes += size
    guard set.parts.count == set.first.count else {
      heldBytes += set.bytes
      open[chunk.id] = set
      return nil
    }
    var joined = ""
    joined.reserveCapacity(set.bytes)
    for index in 0..<set.first.count { joined += set.parts[index]! }
    var message = set.first
    message.data = joined
    message.count = 1
    message.index = 0
    return message
  }

  private func tooLarge(_ id: String, _ size: Int) -> OpenFlowError {
    OpenFlowError(
      "message \(id) holds \(size) bytes of data, with what is pending more than the limit of "
        + "\(limits.maxJoinedBytes)", messageID: id)
  }
}
