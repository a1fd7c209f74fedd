#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import Winnow

/// Writing to standard error, and the colouring of diagnostics when it is a terminal.
enum Console {
  /// Whether standard error is a terminal (diagnostics are coloured and progress is shown).
  static let stderrIsTerminal = isatty(2) == 1

  /// Whether standard output is a terminal (matches are then written line by line).
  static let stdoutIsTerminal = isatty(1) == 1

  /// Colour only on a terminal, and never when `NO_COLOR` is set or `TERM` is `dumb`.
  static let colour: Bool = {
    guard stderrIsTerminal, getenv("NO_COLOR") == nil else { return false }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
    return true
  }()

  /// Writes `text` to standard error at once, unbuffered.
  static func error(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      var done = 0
      while done < bytes.count {
        let n = write(2, bytes.baseAddress! + done, bytes.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          return
        }
        done += n
      }
    }
  }

  /// Writes `winnow: message` and a newline to standard error.
  static func complain(_ message: String) {
    Progress.current?.clear()
    error("winnow: \(message)\n")
  }

  /// A diagnostic as SPEC section 3 shows it: `name:line:column: error: message`, then the line
  /// of the source and a caret, coloured when standard error is a terminal; ends in a newline.
  /// A source line longer than ``excerptLimit`` characters is shown as a window around the
  /// caret, with `…` where it was cut.
  static func render(_ diagnostic: Diagnostic, in source: SourceText, name: String) -> String {
    let text = source.render(diagnostic, name: name)
    let (line, column) = source.location(ofOffset: diagnostic.offset)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.count == 3 { (lines[1], lines[2]) = excerpt(lines[1], column: column) }
    guard colour else { return lines.joined(separator: "\n") + "\n" }
    let location = "\(name):\(line):\(column):"
    let message = lines[0].utf8.dropFirst(location.utf8.count + " error: ".utf8.count)
    var out = "\(bold)\(location)\(reset) \(red)error:\(reset) \(bold)\(Substring(message))\(reset)\n"
    if lines.count == 3 {
      out += "\(lines[1])\n\(green)\(lines[2])\(reset)\n"
    }
    return out
  }

  /// Source lines longer than this many characters are cut around the caret.
  static let excerptLimit = 160

  /// The source line (indented by two spaces) and its caret line, cut to a window of
  /// ``excerptLimit`` characters around `column` when the line is longer.
  private static func excerpt(_ line: String, column: Int) -> (String, String) {
    let scalars = Array(line.unicodeScalars.dropFirst(2))
    guard scalars.count > excerptLimit else {
      return (line, "  " + String(repeating: " ", count: column - 1) + "^")
    }
    let start = max(0, min(column - 1 - excerptLimit / 2, scalars.count - excerptLimit))
    let end = min(scalars.count, start + excerptLimit)
    var shown = String.UnicodeScalarView()
    shown.append(contentsOf: scalars[start..<end])
    let left = start > 0 ? "…" : ""
    let right = end < scalars.count ? "…" : ""
    let caret = String(repeating: " ", count: column - 1 - start + (left.isEmpty ? 0 : 1)) + "^"
    return ("  " + left + String(shown) + right, "  " + caret)
  }

  /// A one-line error located in a document or a stream: `name:line:column: error: message`.
  static func renderLocated(_ location: String, _ message: String) -> String {
    guard colour else { return "\(location): error: \(message)\n" }
    return "\(bold)\(location):\(reset) \(red)error:\(reset) \(bold)\(message)\(reset)\n"
  }

  private static let bold = "\u{1B}[1m"
  private static let red = "\u{1B}[1;31m"
  private static let green = "\u{1B}[1;32m"
  private static let reset = "\u{1B}[0m"
}
