import Winnow

/// A single JSON document read for `eval` and `explain`: the file, the parsed document, and for
/// an event the event view.
struct Document {
  let input: InputFile
  let document: JSONDocument
  /// Set when the document was read as an event.
  let event: Event?

  /// Reads and parses `input`, which may hold at most `maxBytes` bytes (it is not read past them);
  /// with `asEvent`, it must be a JSON object with string members where an event needs them.
  ///
  /// Errors are printed on standard error (the document's own errors as `NAME:LINE:COLUMN: error:
  /// MESSAGE`) and end the command with status 2.
  init(
    reading input: InputFile, asEvent: Bool, maxBytes: Int = JSONLimits.defaultMaxLineBytes
  ) throws(ExitStatus) {
    self.input = input
    let bytes: [UInt8]
    do {
      bytes = try input.contents(upTo: maxBytes)
    } catch {
      Console.complain(error.message)
      throw .failure
    }
    do throws(Diagnostic) {
      guard bytes.count <= maxBytes else {
        throw Diagnostic(
          .limitExceeded, "the document is longer than the limit of \(maxBytes) bytes", at: maxBytes
        )
      }
      document = try JSONDocument(parsing: bytes)
      event = asEvent ? try Event(document: document) : nil
    } catch {
      Console.report(
        LocatedDiagnostic(
          error, in: SourceText(bytes: bytes), name: input.displayName, layout: .singleLine))
      throw .failure
    }
  }
}

/// Parses filter text, printing its error (SPEC section 3) and ending with status 2 when it is
/// invalid.
func parseFilter(_ text: String) throws(ExitStatus) -> Filter {
  do throws(Diagnostic) {
    return try Filter(parsing: text)
  } catch {
    Console.report(error, in: SourceText(text), name: "filter")
    throw .failure
  }
}

/// Prints a note on standard error when regex matches gave up at the engine's limits.
func reportRegexLimitHits(_ hits: Int) {
  guard hits > 0 else { return }
  let matches = hits == 1 ? "1 regex match" : "\(hits) regex matches"
  Console.complain("note: \(matches) reached the regex engine's limit and counted as no match")
}
