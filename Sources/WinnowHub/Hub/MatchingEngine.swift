import NIOCore
import Winnow

// The one file that touches the core library's matching API (parsing events and specifiers,
// the subscription registry), so that a change there stays a local change here.

/// The subscription registry of a hub and the parsing it needs.
///
/// Thread-safety: the registry is; ``EventDispatcher`` (one event parser and its scratch) is not
/// and is used under the hub's lock.
struct MatchingEngine: Sendable {
  let registry: SubscriptionRegistry<SubscriberKey>
  let specifierLimits: ParseLimits
  let eventLimits: JSONLimits

  init(specifierLimits: ParseLimits, eventLimits: JSONLimits) {
    registry = SubscriptionRegistry(limits: specifierLimits)
    self.specifierLimits = specifierLimits
    self.eventLimits = eventLimits
  }

  /// Parses a specifier given in a command.
  func parseSpecifier(_ text: String) throws(Diagnostic) -> EventSpecifier {
    try EventSpecifier(parsing: text, limits: specifierLimits)
  }

  /// The `type.action.key` part of a canonical specifier (its first three `.`-separated parts;
  /// values write a `.` as `\1`, so the first three dots are the separators).
  static func selectorPart(ofCanonical text: String) -> Substring {
    var dots = 0
    for index in text.indices where text[index] == "." {
      dots += 1
      if dots == 3 { return text[..<index] }
    }
    return text[...]
  }

  func register(_ specifier: EventSpecifier, for key: SubscriberKey) {
    registry.register(specifier, for: key)
  }

  func deregister(_ specifier: EventSpecifier, for key: SubscriberKey) -> Bool {
    do {
      try registry.deregister(specifier, for: key)
      return true
    } catch {
      return false
    }
  }

  func deregisterAll(for key: SubscriberKey) {
    registry.deregisterAll(for: key)
  }

  /// Regex match-limit hits in every filter the registry compiled, released ones included.
  var regexLimitHits: Int { registry.regexLimitHits }

  /// A new per-thread parser and dispatch scratch.
  func makeMatcher() -> EventDispatcher { EventDispatcher(engine: self) }
}

/// Checks events without keeping them; one per thread.
final class EventValidator {
  private let parser: EventParser

  init(limits: JSONLimits) { parser = EventParser(limits: limits) }

  /// Throws the parser's diagnostic when `bytes` are not one event.
  func validate(_ bytes: ByteBuffer) throws(Diagnostic) {
    let result: Result<Void, Diagnostic> = bytes.withUnsafeReadableBytes { raw in
      Result { () throws(Diagnostic) in _ = try parser.parse(raw) }
    }
    try result.get()
  }
}

/// Parses one published event and finds the subscribers it goes to; not thread-safe.
final class EventDispatcher {
  private let parser: EventParser
  private let registry: SubscriptionRegistry<SubscriberKey>
  /// The subscribers of the event being dispatched, reused across events.
  private var matched: [SubscriberKey] = []

  init(engine: MatchingEngine) {
    parser = EventParser(limits: engine.eventLimits)
    registry = engine.registry
  }

  /// Parses `bytes` once, then calls `deliver` with each subscriber the event goes to (each
  /// once) and a test of whether a principal's restrictions let it see the event.
  func dispatch(
    _ bytes: ByteBuffer,
    _ deliver: (SubscriberKey, (Credential) -> Bool) -> Void
  ) throws(Diagnostic) {
    let parsed: Result<Void, Diagnostic> = bytes.withUnsafeReadableBytes { raw in
      Result { () throws(Diagnostic) in
        let event = try parser.parse(raw)
        matched.removeAll(keepingCapacity: true)
        registry.appendSubscribers(matching: event, to: &matched)
        let maySee = { (credential: Credential) -> Bool in
          credential.restrictions.contains { $0.matches(event) }
        }
        for key in matched { deliver(key, maySee) }
      }
    }
    try parsed.get()
  }
}
