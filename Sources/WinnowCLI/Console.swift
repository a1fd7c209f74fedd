import Winnow

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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

  /// Writes a located diagnostic on standard error, coloured when it is a terminal, with a
  /// final newline (erasing a progress line first).
  static func report(_ diagnostic: LocatedDiagnostic) {
    Progress.current?.clear()
    error(diagnostic.rendered(colour: colour) + "\n")
  }

  /// Writes `diagnostic` as SPEC section 3 shows it: `name:line:column: error: message`, then
  /// the line of the source and a caret.
  static func report(_ diagnostic: Diagnostic, in source: SourceText, name: String) {
    report(LocatedDiagnostic(diagnostic, in: source, name: name))
  }
}
