/// The limits a filter must stay within; past one, parsing fails with
/// ``Diagnostic/Code/limitExceeded`` at the position where it was exceeded.
public struct ParseLimits: Sendable, Hashable {
  /// The longest filter text accepted, in UTF-8 bytes.
  public var maxBytes: Int
  /// The deepest nesting of terms: the outermost term is level 1. Values above
  /// ``maxSupportedDepth`` act as ``maxSupportedDepth``.
  public var maxDepth: Int
  /// The most terms in one filter, combinators included.
  public var maxTerms: Int
  /// The deepest nesting of arrays and objects inside a JSON value.
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

  /// The deepest nesting of terms any configuration allows. Terms are printed, compared, hashed
  /// and freed recursively, so a bound keeps every filter that parses far from the end of a
  /// thread's stack, whatever `maxDepth` says.
  public static let maxSupportedDepth = 10_000

  /// The nesting limit in force: `maxDepth`, at most ``maxSupportedDepth``.
  var effectiveMaxDepth: Int { min(maxDepth, ParseLimits.maxSupportedDepth) }
}
