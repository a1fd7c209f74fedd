import Winnow

/// What `GET /api/v3/info` answers (SPEC section 9): the hub's version and the features a DRP
/// client may rely on.
public struct ServerInfo: Sendable, Equatable {
  /// The feature telling clients that `register` accepts a specifier with a filter part.
  public static let changedFilterFeature = "websocket-changed-filter"

  /// The version reported; the Winnow library's version by default.
  public var version: String
  /// The advertised features, in the order written.
  public var features: [String]

  /// The hub's own info: the library version, filters in `register`, and event publishing.
  public init(version: String = Winnow.version, features: [String] = ServerInfo.hubFeatures) {
    self.version = version
    self.features = features
  }

  /// The features `winnow serve` has: full specifiers with filters in `register`, and
  /// `POST /api/v3/events`.
  public static let hubFeatures = [changedFilterFeature, "winnow-hub", "event-publish"]

  /// The JSON document, `{"version":...,"features":[...]}`.
  public var json: String {
    JSONValue.object(
      JSONObject([
        ("version", .string(version)),
        ("features", .array(features.map { .string($0) })),
      ])
    ).minified
  }
}
