// PLACEHOLDER replaced by the regex branch: lets the AST and evaluator compile before it lands.
/// A compiled RE2 pattern (placeholder until the regex work lands).
public final class PCRE2Pattern: @unchecked Sendable, Hashable {
  public let source: String
  /// Accepts every pattern; the regex branch validates and compiles.
  init(re2 pattern: String) throws(RegexSyntaxError) { source = pattern }
  func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool { false }
  var limitHits: Int { 0 }
  public static func == (a: PCRE2Pattern, b: PCRE2Pattern) -> Bool {
    a.source.utf8.elementsEqual(b.source.utf8)
  }
  public func hash(into hasher: inout Hasher) { hasher.combineUTF8(source) }
}

/// A pattern outside RE2's language (placeholder until the regex work lands).
public struct RegexSyntaxError: Error {
  public var message: String
  /// The UTF-8 byte offset inside the decoded pattern.
  public var offset: Int
}
