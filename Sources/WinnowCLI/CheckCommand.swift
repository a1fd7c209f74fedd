import ArgumentParser
import Winnow

/// `winnow check`: validates filters or event specifiers and reports the first error of each.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check that filters (or event specifiers) are valid.",
    discussion: """
      Each TEXT is parsed; '-' reads one TEXT per line from standard input instead (a CR \
      before the LF is dropped, and blank lines are skipped), so a filter of any size can be \
      checked; errors in it are placed as '<stdin>:LINE:COLUMN'. A line longer than the filter \
      size limit (65,536 bytes) is reported as soon as it passes the limit and skipped to its \
      LF without being read whole. In text format a valid input prints nothing (use --canonical to print its \
      canonical form on standard output) and each invalid one prints its error on standard \
      error: 'filter:LINE:COLUMN: error: MESSAGE' ('specifier:' with --specifier), the line and \
      a caret under the column (columns count Unicode characters); coloured when standard \
      error is a terminal and NO_COLOR is not set.

      With --format json, standard output gets one JSON object per input, in order, and \
      nothing is printed on standard error. Its members: input, valid, then for a valid input \
      canonical, for an invalid one code, message, line, column, offset (the UTF-8 byte \
      offset) and suggestion (only when there is one). Codes are stable: unexpectedToken, \
      unknownName, invalidField, invalidValue, invalidRegex, invalidEncoding, \
      invalidSpecifier, limitExceeded. For example:
        {"input":"a=eq(1)","valid":false,"code":"unknownName",...,"suggestion":"Eq"}
        {"input":"b = Exists()","valid":true,"canonical":"b=Exists()"}

      Examples:
        winnow check 'And(Type=Eq("machines"),Object.Stage=Changed())'
        winnow check --specifier 'machines.save.*.Stage=Changed(,"complete")'
        winnow check --format json 'a=eq(1)' 'b=Exists()'
        winnow check - < filters.txt
        winnow check -- '-a=Exists()'

      Exit status: 0 when every input is valid, 2 otherwise.
      """
  )

  /// How results are printed.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Flag(help: "Read each input as an event specifier (type.action.key[.filter]).")
  var specifier = false

  @Option(
    help: "text: errors on standard error; json: one result object per input on standard output.")
  var format: Format = .text

  @Flag(help: "In text format, print the canonical form of each valid input on standard output.")
  var canonical = false

  @Argument(
    help: ArgumentHelp(
      "Filters (or specifiers) to check; '-' reads one per line from standard input.",
      valueName: "text"))
  var texts: [String]

  func validate() throws {
    guard !texts.isEmpty else { throw ValidationError("Give at least one TEXT, or '-'.") }
  }

  func run() throws {
    var allValid = true
    for text in texts {
      if text == "-" {
        allValid = checkStandardInput() && allValid
      } else {
        allValid = check(Array(text.utf8), name: specifier ? "specifier" : "filter") && allValid
      }
    }
    if !allValid { throw ExitStatus.failure }
  }

  /// The longest line `check -` reads: the filter size limit and a CR (the type.action.key part
  /// of a specifier is not limited by the grammar, so specifiers get as much again).
  private var lineLimit: Int {
    let filterLimit = ParseLimits().maxBytes
    return specifier ? 2 * filterLimit + 1 : filterLimit + 1
  }

  /// Checks each non-blank line of standard input; errors are located in it (`<stdin>:5:3`).
  ///
  /// A line longer than the limit is reported once it passes the limit and skipped to its LF.
  private func checkStandardInput() -> Bool {
    var allValid = true
    let reader = LineReader(fd: 0, options: LineReader.Options(maxLineBytes: lineLimit))
    do {
      try reader.forEachLine { line in
        var bytes = Array(line)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        if !ByteClass.isBlankLine(line) {
          allValid = check(bytes, name: "<stdin>", lineNumber: reader.lineNumber) && allValid
        }
        return true
      } overlong: { line in
        let filterLimit = ParseLimits().maxBytes
        let diagnostic = Diagnostic(
          .limitExceeded,
          specifier
            ? "the line is longer than \(line.limit) bytes (the filter part may have \(filterLimit))"
            : "the filter is longer than \(filterLimit) bytes",
          at: specifier ? line.limit : filterLimit)
        report(diagnostic, in: Array(line.prefix), name: "<stdin>", lineNumber: reader.lineNumber)
        allValid = false
        return true
      }
    } catch {
      Console.complain("<stdin>: \(error.message)")
      allValid = false
    }
    return allValid
  }

  /// Checks one input, prints its result, and returns whether it was valid; errors are placed
  /// in the source `name`, whose first line is `lineNumber`.
  private func check(_ bytes: [UInt8], name: String, lineNumber: Int = 1) -> Bool {
    let result = Result { () throws(Diagnostic) in
      try bytes.withUnsafeBufferPointer { (input) throws(Diagnostic) in
        specifier
          ? try EventSpecifier(parsingUTF8: input).canonicalText
          : try Filter(parsingUTF8: input).canonicalText
      }
    }
    switch result {
    case .success(let canonicalText):
      switch format {
      case .text:
        if canonical { print(canonicalText) }
      case .json:
        print(
          JSONValue.object(
            JSONObject([
              ("input", .string(String(decoding: bytes, as: UTF8.self))),
              ("valid", .bool(true)),
              ("canonical", .string(canonicalText)),
            ])
          ).minified)
      }
      return true
    case .failure(let diagnostic):
      report(diagnostic, in: bytes, name: name, lineNumber: lineNumber)
      return false
    }
  }

  /// Prints the error of an input: on standard error in text format, as a result object on
  /// standard output in JSON format.
  private func report(_ diagnostic: Diagnostic, in bytes: [UInt8], name: String, lineNumber: Int) {
    guard format == .json else {
      Console.report(
        LocatedDiagnostic(
          diagnostic, in: SourceText(bytes: bytes), name: name, firstLine: lineNumber))
      let text = String(decoding: bytes, as: UTF8.self)
      if specifier {
        MisplacedText.noteIfFilter(text, instead: "check it without --specifier")
      } else {
        MisplacedText.noteIfSpecifier(text, instead: "check it with --specifier")
      }
      return
    }
    // Line and column within the input, as the offset is.
    let located = LocatedDiagnostic(
      diagnostic, in: SourceText(bytes: bytes), name: name, layout: .singleLine)
    var members: [(key: String, value: JSONValue)] = [
      ("input", .string(String(decoding: bytes, as: UTF8.self))),
      ("valid", .bool(false)),
      ("code", .string(diagnostic.code.rawValue)),
      ("message", .string(diagnostic.message)),
      ("line", .number(JSONNumber(located.line))),
      ("column", .number(JSONNumber(located.column))),
      ("offset", .number(JSONNumber(diagnostic.offset))),
    ]
    if let suggestion = diagnostic.suggestion {
      members.append(("suggestion", .string(suggestion)))
    }
    print(JSONValue.object(JSONObject(members)).minified)
  }
}
