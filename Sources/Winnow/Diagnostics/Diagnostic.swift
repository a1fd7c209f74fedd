/// An error in a filter, a specifier or a JSON text, located at one byte of the source.
///
/// Diagnostics hold UTF-8 byte offsets only; line and column are computed when one is rendered
/// (see ``SourceText``).
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
  /// A stable identifier for tools (`--format json` prints the raw value).
  ///
  /// Messages may be reworded between releases; codes may not.
  public enum Code: String, Sendable, Hashable, CaseIterable, Codable {
    /// A token other than the one the grammar needs here (a missing `)`, a stray `,`, ...).
    case unexpectedToken
    /// A combinator or test name that does not exist (`eq`, `Exist`, `Foo`).
    case unknownName
    /// A field that is not a valid dotted path, JSON pointer or URI-fragment pointer.
    case invalidField
    /// A value that is not strict JSON (RFC 8259), or a number outside the float64 range.
    case invalidValue
    /// A regular expression outside RE2's language.
    case invalidRegex
    /// Text that is not valid UTF-8.
    case invalidEncoding
    /// An event specifier that is malformed outside its filter part.
    case invalidSpecifier
    /// A configured limit (size, nesting, term count, JSON depth) was exceeded.
    case limitExceeded
  }

  /// What kind of error this is.
  public var code: Code
  /// One lowercase sentence without a final period, saying what was expected.
  public var message: String
  /// The UTF-8 byte offset in the source where the caret goes.
  public var offset: Int
  /// A close spelling for an unknown name, or a corrected form of a bad value.
  public var suggestion: String?

  /// Creates a diagnostic.
  public init(_ code: Code, _ message: String, at offset: Int, suggestion: String? = nil) {
    self.code = code
    self.message = Diagnostic.oneLine(message)
    self.offset = offset
    self.suggestion = suggestion.map(Diagnostic.oneLine)
  }

  /// `text` with control characters and line separators escaped (`\n`, `\u{1}`), so that a
  /// message quoting user input stays one line.
  static func oneLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isLineBreaking) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where isLineBreaking(scalar):
        out += "\\u{\(String(scalar.value, radix: 16))}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  private static func isLineBreaking(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85
      || scalar.value == 0x2028 || scalar.value == 0x2029
  }

  /// `byte OFFSET: error: MESSAGE` and the suggestion, for logs and test failures; place it in
  /// its source with ``LocatedDiagnostic`` to get a line, a column and a caret.
  public var description: String {
    "byte \(offset): error: \(messageWithSuggestion) [\(code.rawValue)]"
  }

  /// The message, followed by `; did you mean 'SUGGESTION'?` when there is a suggestion.
  public var messageWithSuggestion: String {
    suggestion.map { "\(message); did you mean '\($0)'?" } ?? message
  }

  /// The same diagnostic moved by `delta` bytes, for errors found in a part of a larger text.
  package func shifted(by delta: Int) -> Diagnostic {
    var copy = self
    copy.offset += delta
    return copy
  }
}
