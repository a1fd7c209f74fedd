import Testing

@testable import Winnow

/// The one renderer of diagnostics: its three layouts, line offsets, long lines and colour.
@Suite struct LocatedDiagnosticTests {
  struct RenderCase: CustomTestStringConvertible, Sendable {
    let name: String
    let source: String
    let offset: Int
    var suggestion: String?
    var sourceName = "filter"
    var firstLine = 1
    var layout = LocatedDiagnostic.Layout.withSource
    let rendered: String
    var testDescription: String { name }
  }

  static let long = String(repeating: "a", count: 300) + "X" + String(repeating: "b", count: 300)

  static let cases = [
    RenderCase(
      name: "with source", source: "a=Eq(1 2)", offset: 7,
      rendered: "filter:1:8: error: boom\n  a=Eq(1 2)\n         ^"),
    RenderCase(
      name: "a suggestion", source: "a=eq(1)", offset: 2, suggestion: "Eq",
      rendered: "filter:1:3: error: boom; did you mean 'Eq'?\n  a=eq(1)\n    ^"),
    RenderCase(
      name: "a line of a larger input", source: "x=Eq(1 2)", offset: 7, sourceName: "<stdin>",
      firstLine: 5,
      rendered: "<stdin>:5:8: error: boom\n  x=Eq(1 2)\n         ^"),
    RenderCase(
      name: "second line, tabs as spaces", source: "And(\n\ta=Eq(1 2))", offset: 12,
      rendered: "filter:2:8: error: boom\n   a=Eq(1 2))\n         ^"),
    RenderCase(
      name: "single line", source: "{\"a\":\n  x}", offset: 8, sourceName: "doc.json",
      layout: .singleLine,
      rendered: "doc.json:2:3: error: boom"),
    RenderCase(
      name: "column last (NDJSON lines)", source: "{\"é\":x}", offset: 7, sourceName: "events",
      firstLine: 12,
      layout: .columnLast, rendered: "events:12: error: boom (column 7)"),
    RenderCase(
      name: "a long line is cut around the caret", source: long, offset: 300,
      rendered: "filter:1:301: error: boom\n  …" + String(repeating: "a", count: 80) + "X"
        + String(repeating: "b", count: 79)
        + "…\n  " + String(repeating: " ", count: 81) + "^"),
    RenderCase(
      name: "offset past the end", source: "a=", offset: 2,
      rendered: "filter:1:3: error: boom\n  a=\n    ^"),
  ]

  @Test(arguments: cases)
  func renders(c: RenderCase) {
    let diagnostic = Diagnostic(.unexpectedToken, "boom", at: c.offset, suggestion: c.suggestion)
    let located = LocatedDiagnostic(
      diagnostic, in: SourceText(c.source), name: c.sourceName, firstLine: c.firstLine,
      layout: c.layout)
    #expect(located.rendered() == c.rendered)
    #expect(located.description == c.rendered)
    // Colour adds escapes only: without them the text is the same.
    let coloured = located.rendered(colour: true)
    #expect(coloured.contains("\u{1B}["))
    #expect(coloured.replacing(/\x1B\[[0-9;]*m/, with: "") == c.rendered)
  }

  @Test func diagnosticsPrintReadably() {
    let plain = Diagnostic(.unexpectedToken, "expected ')'", at: 16)
    #expect("\(plain)" == "byte 16: error: expected ')' [unexpectedToken]")
    let suggested = Diagnostic(.unknownName, "unknown test 'eq'", at: 2, suggestion: "Eq")
    #expect(
      suggested.description == "byte 2: error: unknown test 'eq'; did you mean 'Eq'? [unknownName]")
  }

  /// The library's SourceText.render and the CLI print the same text (the CLI adds colour on a
  /// terminal only).
  @Test func sourceTextRenderIsTheWithSourceLayout() {
    let diagnostic = Diagnostic(.unexpectedToken, "boom", at: 3)
    let source = SourceText("And(x)")
    #expect(
      source.render(diagnostic, name: "specifier")
        == LocatedDiagnostic(diagnostic, in: source, name: "specifier").rendered())
  }
}
