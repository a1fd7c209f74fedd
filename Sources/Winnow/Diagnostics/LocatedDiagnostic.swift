/// A diagnostic placed in its source: the name, line and column it is reported at, and the source
/// line to show under it.
///
/// The one renderer of diagnostics, for the library and the CLI.
///
/// Three layouts, all starting with the location:
/// - ``Layout/withSource`` (SPEC section 3): `name:line:column: error: message`, then the source
///   line (tabs shown as spaces, a line longer than ``excerptLimit`` characters cut to a window
///   around the caret, with `…` where it was cut) and a caret under the column;
/// - ``Layout/singleLine``: the first line only (documents, which may be huge);
/// - ``Layout/columnLast``: `name:line: error: message (column C)` (lines of an NDJSON stream).
public struct LocatedDiagnostic: Sendable, CustomStringConvertible {
  /// How a located diagnostic is printed.
  public enum Layout: Sendable, Hashable {
    /// The location and message, then the source line and a caret.
    case withSource
    /// The location and message only.
    case singleLine
    /// `name:line: error: message (column C)`.
    case columnLast
  }

  /// The diagnostic.
  public let diagnostic: Diagnostic
  /// The name of the source: `filter`, `specifier`, a file name, `<stdin>`.
  public let name: String
  /// The 1-based line of the diagnostic.
  public let line: Int
  /// The 1-based column, in Unicode scalars.
  public let column: Int
  /// How it is printed.
  public let layout: Layout
  /// For ``Layout/withSource``: the source line shown (cut around the caret when long), and the
  /// 1-based column of the caret in it.
  public let excerpt: (text: String, caretColumn: Int)?

  /// Source lines longer than this many characters are cut around the caret.
  public static let excerptLimit = 160

  /// Places `diagnostic` in `source`; `firstLine` is the number of the source's first line
  /// (for a source that is one line of a larger input).
  public init(
    _ diagnostic: Diagnostic, in source: SourceText, name: String = "filter", firstLine: Int = 1,
    layout: Layout = .withSource
  ) {
    self = source.bytes.withUnsafeBufferPointer {
      LocatedDiagnostic(diagnostic, inBytes: $0, name: name, firstLine: firstLine, layout: layout)
    }
  }

  /// Places `diagnostic` in the bytes of a source (valid UTF-8 or not), without copying them.
  public init(
    _ diagnostic: Diagnostic, inBytes source: UnsafeBufferPointer<UInt8>, name: String,
    firstLine: Int = 1, layout: Layout = .withSource
  ) {
    let (line, column) = SourceText.location(ofOffset: diagnostic.offset, in: source)
    self.diagnostic = diagnostic
    self.name = name
    self.line = line + firstLine - 1
    self.column = column
    self.layout = layout
    if layout == .withSource {
      let text = SourceText.lineText(line, in: source)
      excerpt = LocatedDiagnostic.excerpt(text, column: column)
    } else {
      excerpt = nil
    }
  }

  /// `name:line:column` (`name:line` in the ``Layout/columnLast`` layout).
  public var location: String {
    layout == .columnLast ? "\(name):\(line)" : "\(name):\(line):\(column)"
  }

  /// The message, with the suggestion when there is one (and the column in the
  /// ``Layout/columnLast`` layout).
  public var message: String {
    let column = layout == .columnLast ? " (column \(self.column))" : ""
    return diagnostic.messageWithSuggestion + column
  }

  /// The diagnostic as text, without a final newline; with `colour`, ANSI bold for the location
  /// and message, red for `error:`, green for the caret.
  public func rendered(colour: Bool = false) -> String {
    let (bold, red, green, reset) =
      colour ? ("\u{1B}[1m", "\u{1B}[1;31m", "\u{1B}[1;32m", "\u{1B}[0m") : ("", "", "", "")
    var out = "\(bold)\(location):\(reset) \(red)error:\(reset) \(bold)\(message)\(reset)"
    if let excerpt {
      let caret = String(repeating: " ", count: excerpt.caretColumn - 1) + "^"
      out += "\n  \(excerpt.text)\n  \(green)\(caret)\(reset)"
    }
    return out
  }

  /// The plain rendering.
  public var description: String { rendered() }

  /// The source line (tabs as spaces), cut to a window of ``excerptLimit`` characters around
  /// `column` when it is longer, and the caret's column in what is shown.
  private static func excerpt(_ line: String, column: Int) -> (text: String, caretColumn: Int) {
    let scalars = Array(line.unicodeScalars.lazy.map { $0 == "\t" ? " " : $0 })
    guard scalars.count > excerptLimit else {
      var text = String.UnicodeScalarView()
      text.append(contentsOf: scalars)
      return (String(text), column)
    }
    let start = max(0, min(column - 1 - excerptLimit / 2, scalars.count - excerptLimit))
    let end = min(scalars.count, start + excerptLimit)
    var shown = String.UnicodeScalarView()
    shown.append(contentsOf: scalars[start..<end])
    let left = start > 0 ? "…" : ""
    let right = end < scalars.count ? "…" : ""
    return (left + String(shown) + right, column - start + (left.isEmpty ? 0 : 1))
  }
}

extension SourceText {
  /// Formats `diagnostic` as SPEC section 3 shows it: `name:line:column: error: message`, then
  /// the source line and a caret under the column (see ``LocatedDiagnostic``).
  public func render(_ diagnostic: Diagnostic, name: String = "filter") -> String {
    LocatedDiagnostic(diagnostic, in: self, name: name).rendered()
  }
}
