#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The fields of a server's `INFO` that the client uses.
public struct NATSServerInfo: Hashable, Sendable, Decodable {
  /// The server's unique id (`server_id`).
  public var serverID: String
  /// The server's configured name (`server_name`), if any.
  public var serverName: String?
  /// The server's version.
  public var version: String?
  /// Largest payload (headers included) the server accepts in one publish.
  public var maxPayload: Int
  /// Whether the server understands `HPUB`/`HMSG`.
  public var headers: Bool
  /// Other nodes of the cluster that clients may connect to, as `host:port`.
  public var connectURLs: [String]
  /// Whether the server needs credentials in `CONNECT`.
  public var authRequired: Bool

  /// Server info with the given fields.
  public init(
    serverID: String, serverName: String? = nil, version: String? = nil, maxPayload: Int = 1 << 20,
    headers: Bool = true, connectURLs: [String] = [], authRequired: Bool = false
  ) {
    self.serverID = serverID
    self.serverName = serverName
    self.version = version
    self.maxPayload = maxPayload
    self.headers = headers
    self.connectURLs = connectURLs
    self.authRequired = authRequired
  }

  enum CodingKeys: String, CodingKey {
    case serverID = "server_id"
    case serverName = "server_name"
    case version
    case maxPayload = "max_payload"
    case headers
    case connectURLs = "connect_urls"
    case authRequired = "auth_required"
  }

  /// Decodes the JSON of an `INFO` line; missing fields take their defaults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    serverID = try c.decodeIfPresent(String.self, forKey: .serverID) ?? ""
    serverName = try c.decodeIfPresent(String.self, forKey: .serverName)
    version = try c.decodeIfPresent(String.self, forKey: .version)
    maxPayload = try c.decodeIfPresent(Int.self, forKey: .maxPayload) ?? 1 << 20
    headers = try c.decodeIfPresent(Bool.self, forKey: .headers) ?? false
    connectURLs = try c.decodeIfPresent([String].self, forKey: .connectURLs) ?? []
    authRequired = try c.decodeIfPresent(Bool.self, forKey: .authRequired) ?? false
  }

  /// Decodes the JSON object of an `INFO` line.
  static func decode(_ json: [UInt8]) throws -> NATSServerInfo {
    try JSONDecoder().decode(NATSServerInfo.self, from: Data(json))
  }
}
