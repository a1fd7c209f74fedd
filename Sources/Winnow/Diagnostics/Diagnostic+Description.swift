extension Diagnostic: CustomStringConvertible {
  /// One line without the source: `MESSAGE (at byte N)`, then `; did you mean 'X'?` when
  /// there is a suggestion. (``SourceText/render(_:name:)`` gives line, column and a caret.)
  public var description: String {
    let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
    return "\(message) (at byte \(offset))\(hint)"
  }
}
