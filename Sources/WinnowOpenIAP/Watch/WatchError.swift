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

  /// An error in the path at `paths[pathIndex]`, at byte `offset` of it.
  init(pathIndex: Int, path: String, diagnostic: Diagnostic, offset: Int) {
    self.pathIndex = pathIndex
    self.path = path
    var placed = diagnostic
    placed.offset = offset
    self.diagnostic = placed
    column = SourceText(path).location(ofOffset: offset).column
  }

  /// An error of the specifier of a watch without paths (a collection name past a limit).
  init(collectionName: String, diagnostic: Diagnostic) {
    pathIndex = nil
    path = collectionName
    self.diagnostic = diagnostic
    column = 1
  }

  /// One line naming the path and the column: `invalid path "X=Foo(1)" (paths[0]) at column 3:
  /// unknown test name 'Foo'; did you mean 'Eq'?`.
  public var description: String { description(listName: "paths") }

  /// The description, naming the list of filters as the protocol does (OpenFlow:
  /// `aggregates`).
  public func description(listName: String) -> String {
    let hint = diagnostic.suggestion.map { "; did you mean '\($0)'?" } ?? ""
    guard let pathIndex else {
      return "invalid collection name \(quoted(path)): \(diagnostic.message)\(hint)"
    }
    return "invalid path \(quoted(path)) (\(listName)[\(pathIndex)]) at column \(column): "
      + "\(diagnostic.message)\(hint)"
  }

  /// `text` as a one-line JSON string literal.
  private func quoted(_ text: String) -> String { JSONValue.string(text).minified }
}
