extension SourceText {
  /// Formats `diagnostic` as `name:line:column: error: message`, then the source line (tabs
  /// shown as spaces) and a caret under the column.
  public func render(_ diagnostic: Diagnostic, name: String = "filter") -> String {
    let (line, column) = location(ofOffset: diagnostic.offset)
    let text = String(lineText(line).map { $0 == "\t" ? " " : $0 })
    let hint = diagnostic.suggestion.map { "; did you mean '\($0)'?" } ?? ""
    let caret = String(repeating: " ", count: column - 1) + "^"
    return "\(name):\(line):\(column): error: \(diagnostic.message)\(hint)\n  \(text)\n  \(caret)"
  }
}
