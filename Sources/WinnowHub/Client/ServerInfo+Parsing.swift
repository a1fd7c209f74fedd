import Winnow

extension ServerInfo {
  /// Reads the answer of `GET /api/v3/info`: `{"version": "...", "features": [...]}`.
  ///
  /// Members that are missing or of another kind read as empty; a body that is not a JSON object
  /// throws its diagnostic.
  public init(parsingJSON bytes: [UInt8]) throws(Diagnostic) {
    let value = try JSONDocument(parsing: bytes).value
    var version = ""
    if case .string(let text)? = value["version"] { version = text }
    var features: [String] = []
    if case .array(let items)? = value["features"] {
      for case .string(let feature) in items { features.append(feature) }
    }
    guard case .object = value else {
      throw Diagnostic(.invalidValue, "expected a JSON object", at: 0)
    }
    self.init(version: version, features: features)
  }

  /// Whether the server filters registrations itself (`websocket-changed-filter`).
  public var filtersRegistrations: Bool { features.contains(Self.changedFilterFeature) }
}
