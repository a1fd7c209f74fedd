import Winnow

/// A `watch` that cannot be registered: an invalid path (filter), or a collection name that
/// makes the specifier exceed a limit.
public struct WatchError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The 0-based index of the invalid path in the request, or nil for the collection name.
  public let pathIndex: Int?
  /// The invalid path as the client wrote it (the collection name when `pathIndex` is nil).
  public let path: String
  /// The 1-based column of the error in `path`, counted in Unicode scalars.
  public let column: Int
  /// The diagnostic of the filter parser, with its offset in `path`.
  public let diagnostic: Diagnostic

  init(pathIndex: Int, path: String, diagnostic: Diagnostic) {
    self.pathIndex = pathIndex
    self.path = path
    self.diagnostic = diagnostic
    column = SourceText(path).location(ofOffset: diagnostic.offset).column
  }

  init(collectionName type: WatchRequest.TypePart, diagnostic: Diagnostic) {
    pathIndex = nil
    switch type {
    case .field(let name), .filter(let name): path = name
    }
    self.diagnostic = diagnostic
    column = 1
  }

  /// One line naming the path and the column: `invalid path "X=Foo(1)" (paths[0]) at column 3:
  /// unknown test name 'Foo'; did you mean 'Eq'?`.
  public var description: String {
    let hint = diagnostic.suggestion.map { "; did you mean '\($0)'?" } ?? ""
    guard let pathIndex else {
      return "invalid collection name \(quoted(path)): \(diagnostic.message)\(hint)"
    }
    return "invalid path \(quoted(path)) (paths[\(pathIndex)]) at column \(column): "
      + "\(diagnostic.message)\(hint)"
  }

  /// `text` as a one-line JSON string literal.
  private func quoted(_ text: String) -> String { JSONValue.string(text).minified }
}
