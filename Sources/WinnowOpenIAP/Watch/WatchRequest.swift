import Winnow

/// What an OpenIAP `watch` or an OpenFlow `watch` asks for, turned into Winnow specifiers
/// (SPEC sections 10 and 11).
///
/// - `collectionname` is compared with the event's `Type`; `""` and `*` mean any type.
/// - Each path (OpenFlow: aggregate) is a Winnow filter under the event rules; an event matches
///   when any of them does, and with no paths every event of the collection matches.
///
/// A watch becomes one specifier per path, `TYPE.*.*.FILTER` (or `TYPE.*.*` without paths), so
/// that the hub's registry dispatches it through the library's indexed engine; registered under
/// one subscriber per watch, an event is delivered once per watch however many paths match.
public struct WatchRequest: Sendable {
  /// The collection: an event `Type`, or `""`/`*` for any.
  public let collectionName: String
  /// The filters, as the client wrote them.
  public let paths: [String]
  /// The specifiers to register for this watch, one per path (one when there are none).
  public let specifiers: [EventSpecifier]

  /// Validates the paths and builds the specifiers; throws ``WatchError`` naming the first
  /// invalid path and the column of its error.
  public init(collectionName: String, paths: [String], limits: ParseLimits = ParseLimits())
    throws(WatchError)
  {
    self.collectionName = collectionName
    self.paths = paths
    let type = WatchRequest.typePart(for: collectionName)
    var specifiers: [EventSpecifier] = []
    specifiers.reserveCapacity(max(paths.count, 1))
    if paths.isEmpty {
      do {
        specifiers.append(try WatchRequest.specifier(type: type, filter: nil, limits: limits))
      } catch {
        throw WatchError(collectionName: collectionName, diagnostic: error)
      }
    }
    for (index, path) in paths.enumerated() {
      let filter: Filter
      do {
        filter = try Filter(parsing: path, limits: limits)
      } catch {
        throw WatchError(pathIndex: index, path: path, diagnostic: error, offset: error.offset)
      }
      do {
        specifiers.append(try WatchRequest.specifier(type: type, filter: filter, limits: limits))
      } catch {
        // The path parsed on its own, so the whole specifier went past a limit (its length):
        // placed at the path's start.
        throw WatchError(pathIndex: index, path: path, diagnostic: error, offset: 0)
      }
    }
    self.specifiers = specifiers
  }

  /// How the collection name is expressed in a specifier.
  enum TypePart: Equatable {
    /// The type field of the specifier, escaped (`*` for any type).
    case field(String)
    /// A name the type field cannot express (whitespace, a backslash, or one of the special
    /// job types), compared by a `Type=Eq(...)` term instead.
    case filter(String)
  }

  /// The specifier type part for `collectionName`.
  static func typePart(for collectionName: String) -> TypePart {
    if collectionName.isEmpty || collectionName == "*" { return .field("*") }
    if collectionName == EventSpecifier.machineJobs
      || collectionName == EventSpecifier.workOrderJobs
    {
      return .filter(collectionName)
    }
    var escaped = ""
    for scalar in collectionName.unicodeScalars {
      switch scalar {
      case ".": escaped += "\\1"
      case ",": escaped += "\\2"
      case "*": escaped += "\\3"
      case "\\": return .filter(collectionName)
      case _ where scalar.properties.isWhitespace || scalar.value < 0x20:
        return .filter(collectionName)
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return .field(escaped)
  }

  /// `TYPE.*.*[.FILTER]` for a checked filter.
  ///
  /// The filter is written in its canonical form, which parses to itself, so this fails only when a
  /// limit is exceeded by the combination.
  static func specifier(type: TypePart, filter: Filter?, limits: ParseLimits)
    throws(Diagnostic) -> EventSpecifier
  {
    let text: String
    switch type {
    case .field(let field):
      text = filter.map { "\(field).*.*.\($0.canonicalText)" } ?? "\(field).*.*"
    case .filter(let name):
      let typeTest = "Type=Eq(\(JSONValue.string(name).minified))"
      text = filter.map { "*.*.*.And(\(typeTest),\($0.canonicalText))" } ?? "*.*.*.\(typeTest)"
    }
    return try EventSpecifier(parsing: text, limits: limits)
  }
}
