/// Limits applied while reading JSON documents.
public struct JSONLimits: Sendable, Hashable {
  /// The deepest nesting of arrays and objects accepted; a container that opens one level
  /// deeper is an error.
  public var maxDepth: Int

  /// Creates limits; the default depth is 512.
  public init(maxDepth: Int = 512) {
    precondition(maxDepth >= 0, "maxDepth must not be negative")
    self.maxDepth = maxDepth
  }
}
