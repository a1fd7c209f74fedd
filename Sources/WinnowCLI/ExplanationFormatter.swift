import Winnow

/// Prints an ``Explanation`` as an indented tree: a ✓ or ✗ per term, and for field terms what was
/// found at the field, in a column.
struct ExplanationFormatter {
  /// Whether long values are printed in full instead of shortened.
  var fullValues = false

  /// Values longer than this many characters are shortened unless ``fullValues`` is set.
  static let valueLimit = 100
  /// Annotations start in this column at most; a longer term pushes its own annotation right.
  static let annotationColumn = 40

  /// The tree, one line per term, each ending in a newline.
  func format(_ explanation: Explanation) -> String {
    var rows: [(term: String, note: String)] = []
    collect(explanation, depth: 0, into: &rows)
    let width = min(rows.map(\.term.count).max() ?? 0, ExplanationFormatter.annotationColumn)
    var out = ""
    for row in rows {
      out += row.term
      if !row.note.isEmpty {
        out += String(repeating: " ", count: max(width - row.term.count, 0) + 2) + row.note
      }
      out += "\n"
    }
    return out
  }

  private func collect(
    _ node: Explanation, depth: Int, into rows: inout [(term: String, note: String)]
  ) {
    let indent = String(repeating: "  ", count: depth)
    let mark = node.held ? "✓" : "✗"
    let name: String
    switch node.term {
    case .and: name = "And"
    case .or: name = "Or"
    case .not: name = "Not"
    case .field: name = node.term.canonicalText
    }
    var notes: [String] = []
    if let observation = node.observation { notes.append(describe(observation)) }
    if !node.reached { notes.append("(not reached)") }
    rows.append(("\(indent)\(mark) \(name)", notes.joined(separator: " ")))
    for operand in node.operands { collect(operand, depth: depth + 1, into: &rows) }
  }

  private func describe(_ observation: Explanation.Observation) -> String {
    switch observation {
    case .value(.found(let value)): return "found " + shorten(value.minified)
    case .value(.missing), .value(.absent): return "missing"
    case .changed(let original, let object):
      return "Original \(describe(original)) → Object \(describe(object))"
    }
  }

  private func describe(_ lookup: Explanation.Lookup) -> String {
    switch lookup {
    case .found(let value): return shorten(value.minified)
    case .missing: return "missing"
    case .absent: return "absent"
    }
  }

  private func shorten(_ text: String) -> String {
    guard !fullValues, text.count > ExplanationFormatter.valueLimit else { return text }
    return String(text.prefix(ExplanationFormatter.valueLimit - 1)) + "…"
  }
}
