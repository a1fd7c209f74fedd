import ArgumentParser
import Winnow

/// `winnow eval`: evaluates a filter against one JSON document.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a filter against one JSON document and print true or false.",
    discussion: """
      The document is read from FILE, or from standard input when FILE is '-' or missing; it \
      is one JSON value (RFC 8259), which may span several lines. Without --event any JSON \
      value is accepted and Changed(from,to) holds when 'to' is not given or the field equals \
      it. With --event the document must be a DRP event: a JSON object whose Time, Type, \
      Action, Key and Principal members are strings (or missing or null), and Changed \
      compares the field inside Original with the field inside Object.

      Errors are printed on standard error: an invalid filter as 'filter:LINE:COLUMN: error: \
      ...' with the line and a caret, an invalid document as 'FILE:LINE:COLUMN: error: \
      MESSAGE' (FILE is '<stdin>' for standard input). A document longer than \
      --max-document-bytes (default 64M) is an error; reading stops at the limit, so an endless \
      input (/dev/zero) ends too.

      Examples:
        winnow eval 'Object.Stage=Eq("complete")' event.json
        winnow eval --event 'Stage=Changed(,"complete")' event.json
        echo '{"a":[1,2]}' | winnow eval '/a/1=Eq(2)'
        winnow eval -- '-x=Exists()' doc.json

      Exit status: 0 when the filter holds (prints true), 1 when it does not (prints false), \
      2 on any error.
      """
  )

  @Flag(help: "Read the document as a DRP event (a JSON object; event rules for Changed).")
  var event = false

  @Option(
    name: .customLong("max-document-bytes"),
    help: ArgumentHelp("Reject a document longer than this (K, M, G suffixes).", valueName: "bytes")
  )
  var maxDocumentBytes = ByteCount.defaultLineLimit

  @Argument(help: "The filter.")
  var filter: String

  @Argument(help: "The JSON document; '-' or nothing reads standard input.")
  var file: String?

  func run() throws {
    let parsed = try parseFilter(filter)
    let input = try Document(
      reading: InputFile(path: file ?? "-"), asEvent: event, maxBytes: maxDocumentBytes.value)
    let compiled = parsed.compiled()
    let held = input.event.map(compiled.matches) ?? compiled.matches(input.document)
    print(held ? "true" : "false")
    reportRegexLimitHits(compiled.regexLimitHits)
    if !held { throw ExitStatus.noMatch }
  }
}
