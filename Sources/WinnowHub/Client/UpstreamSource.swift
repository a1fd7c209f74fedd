import Winnow

/// The hub's `--upstream URL --upstream-token TOKEN` source (SPEC section 9, sources of events):
/// a ``WatchClient`` subscribed to another DRP endpoint (a DRP server or another hub) whose
/// events are republished into this hub, byte for byte, in the order received.
///
/// It registers `*.*.*` upstream, so every event the token may see arrives here and the hub's
/// own clients get the whole filter language even when the upstream is an older DRP. The
/// upstream's acknowledgements are not republished. A dropped upstream is reconnected with
/// backoff (events published upstream meanwhile are not seen); a refused token or an error
/// acknowledgement ends ``run(notice:publish:)`` with a ``WatchError``.
public struct UpstreamSource: Sendable {
  /// What is registered upstream.
  public static let everything = "*.*.*"

  /// The client subscribed upstream.
  public let client: WatchClient

  /// A source for the endpoint `url` with `token`; `insecure` skips TLS verification.
  ///
  /// Throws when the URL is not a DRP endpoint or TLS cannot be set up.
  public init(url: String, token: String?, insecure: Bool = false) throws(WatchError) {
    let endpoint: WatchEndpoint
    do {
      endpoint = try WatchEndpoint(parsing: url)
    } catch {
      throw .invalidOptions("--upstream: \(error.message)")
    }
    let everything: WatchSpecifier
    do {
      everything = try WatchSpecifier(parsing: Self.everything)
    } catch {
      preconditionFailure("'\(Self.everything)' is a valid specifier")
    }
    var options = WatchOptions(endpoint: endpoint, specifiers: [everything], token: token)
    options.insecure = insecure
    client = try WatchClient(options)
  }

  /// Republishes every upstream event with `publish` until the task is cancelled (returns) or
  /// the upstream refuses the token or the registration (throws).
  public func run(
    notice: @escaping @Sendable (WatchNotice) -> Void = { _ in },
    publish: @escaping @Sendable (WatchedEvent) async -> Void
  ) async throws(WatchError) {
    try await client.run(notice: notice) { event in
      await publish(event)
      return .proceed
    }
  }
}
