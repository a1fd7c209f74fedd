/// The limits a filter must stay within; past one, parsing fails with
/// ``Diagnostic/Code/limitExceeded`` at the position where it was exceeded.
public struct ParseLimits: Sendable, Hashable {
  /// The longest filter text accepted, in UTF-8 bytes.
  public var maxBytes: Int
  /// The deepest nesting of terms: the outermost term is level 1.
  ///
  /// Values above ``maxSupportedDepth`` act as ``maxSupportedDepth``.
  public var maxDepth: Int
  /// The most terms in one filter, combinators included.
  public var maxTerms: Int
  /// The deepest nesting of arrays and objects inside a JSON value.
  ///
  /// Values above ``maxSupportedJSONDepth`` act as ``maxSupportedJSONDepth``.
  public var maxJSONDepth: Int

  /// Creates limits; the defaults are 65,536 bytes, 256 levels, 4,096 terms and 512 JSON levels.
  public init(
    maxBytes: Int = 65_536, maxDepth: Int = 256, maxTerms: Int = 4_096, maxJSONDepth: Int = 512
  ) {
    self.maxBytes = maxBytes
    self.maxDepth = maxDepth
    self.maxTerms = maxTerms
    self.maxJSONDepth = maxJSONDepth
  }

  /// The deepest nesting of terms any configuration allows; a larger ``maxDepth`` acts as this.
  ///
  /// Terms are compared, hashed, printed and freed recursively, so this bound keeps every
  /// filter that parses far from the end of a thread's stack whatever the configuration says.
  /// Measured on Linux with an 8 MiB stack in a debug build: 5,000 levels are fine, 10,000
  /// overflow while hashing.
  public static let maxSupportedDepth = 2_000

  /// The deepest nesting of JSON values any configuration allows; a larger ``maxJSONDepth``
  /// acts as this (JSON values are also printed and compared recursively).
  public static let maxSupportedJSONDepth = 2_000

  /// The term nesting limit in force.
  var effectiveMaxDepth: Int { min(maxDepth, ParseLimits.maxSupportedDepth) }

  /// The JSON nesting limit in force (a negative limit acts as 0).
  var effectiveMaxJSONDepth: Int { max(0, min(maxJSONDepth, ParseLimits.maxSupportedJSONDepth)) }
}
