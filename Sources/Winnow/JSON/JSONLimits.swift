/// Limits applied while reading JSON documents.
public struct JSONLimits: Sendable, Hashable {
  /// The deepest nesting of arrays and objects accepted; a container that opens one level
  /// deeper is an error.
  public var maxDepth: Int

  /// The longest NDJSON line (or single document) read, in bytes (an LF that ends a line not
  /// counted).
  ///
  /// A longer line is reported and skipped to its LF without being kept in memory.
  public var maxLineBytes: Int

  /// The default line limit: 64 MiB.
  public static let defaultMaxLineBytes = 64 << 20

  /// Creates limits; the default depth is 512 and the default line limit 64 MiB.
  public init(maxDepth: Int = 512, maxLineBytes: Int = JSONLimits.defaultMaxLineBytes) {
    precondition(maxDepth >= 0, "maxDepth must not be negative")
    precondition(maxLineBytes >= 0 && maxLineBytes < Int.max, "maxLineBytes must be in 0..<Int.max")
    self.maxDepth = maxDepth
    self.maxLineBytes = maxLineBytes
  }
}
