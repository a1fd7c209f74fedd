/// A regular expression that is not in RE2's language, located at one byte of the pattern.
///
/// The filter parser turns it into a ``Diagnostic`` with code `.invalidRegex`, adding the offset
/// of the pattern's first byte inside the filter text.
public struct RegexSyntaxError: Error, Hashable, Sendable {
  /// One lowercase sentence without a final period, such as "missing closing )".
  public var message: String
  /// The UTF-8 byte offset inside the pattern where the problem is.
  public var offset: Int

  init(_ message: String, at offset: Int) {
    self.message = message
    self.offset = offset
  }
}
