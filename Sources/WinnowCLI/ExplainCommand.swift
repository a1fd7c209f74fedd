import ArgumentParser
import Winnow

/// `winnow explain`: shows a filter's canonical form and term tree, and with a document, which
/// terms held and what each field held.
struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show a filter's canonical form and term tree, and why it matches a document.",
    discussion: """
      Without a document, prints the canonical form and the term tree (one term per line, \
      operands indented under their combinator). With --event FILE (a DRP event, event rules) \
      or --json FILE (any JSON value, plain rules), every term is marked ✓ when it held and ✗ \
      when it did not, and each field term shows what was found at its field: 'found VALUE' \
      (minified JSON) or 'missing'; Changed under the event rules shows the field inside \
      Original and inside Object ('absent' when Original or Object itself is missing or null). \
      Terms an evaluation never reaches (after the first false operand of And, or the first \
      true operand of Or) are still marked, with '(not reached)'. Values longer than 100 \
      characters are shortened with '…' unless --full-values is given. FILE '-' is standard \
      input.

      Example:
        $ winnow explain --event event.json \\
            'And(Type=Eq("machines"),Object.Stage=Eq("complete"))'
        filter: And(Type=Eq("machines"),Object.Stage=Eq("complete"))
        event:  event.json
        result: true

        ✓ And
          ✓ Type=Eq("machines")          found "machines"
          ✓ Object.Stage=Eq("complete")  found "complete"

      Exit status: without a document 0; with one, 0 when the filter holds, 1 when it does \
      not; 2 on any error.
      """
  )

  @Argument(help: "The filter.")
  var filter: String

  @Option(
    name: .customLong("event"),
    help: ArgumentHelp("Explain the filter on this DRP event.", valueName: "file"))
  var eventFile: String?

  @Option(
    name: .customLong("json"),
    help: ArgumentHelp("Explain the filter on this JSON document (plain rules).", valueName: "file")
  )
  var jsonFile: String?

  @Flag(help: "Print the values found in full, however long.")
  var fullValues = false

  func validate() throws {
    if eventFile != nil && jsonFile != nil {
      throw ValidationError("Give --event or --json, not both.")
    }
  }

  func run() throws {
    let parsed: Filter
    do {
      parsed = try parseFilter(filter)
    } catch {
      MisplacedText.noteIfSpecifier(filter, instead: "explain takes a filter")
      throw error
    }
    guard let path = eventFile ?? jsonFile else {
      print("filter: \(parsed.canonicalText)\n")
      print(parsed.treeDescription, terminator: "")
      return
    }
    let asEvent = eventFile != nil
    let input = try Document(reading: InputFile(path: path), asEvent: asEvent)
    // The compiled plan records what it does: the same evaluation as match and eval.
    let compiled = parsed.compiled()
    let explanation = input.event.map(compiled.explain) ?? compiled.explain(input.document)
    let held = explanation.held

    let label = asEvent ? "event: " : "json:  "
    print("filter: \(parsed.canonicalText)")
    print("\(label) \(input.input.displayName)")
    print("result: \(held)\n")
    print(ExplanationFormatter(fullValues: fullValues).format(explanation), terminator: "")
    reportRegexLimitHits(compiled.regexLimitHits)
    if !held { throw ExitStatus.noMatch }
  }
}
