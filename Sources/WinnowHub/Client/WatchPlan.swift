import Winnow

/// What a watch connection registers, and what it filters itself (SPEC section 9, the client).
///
/// A server that advertises `websocket-changed-filter` is sent each specifier as given and
/// filters for us. Any other server (an older DRP) is sent only the `type.action.key` part of
/// each specifier, every distinct part once, and the client applies the full specifiers to what
/// arrives: DRP's "client side event post-processor".
public struct WatchPlan: Sendable {
  /// The command frames to send on every connection, in order (`register SPECIFIER`).
  public let commands: [String]
  /// The filter applied to delivered events, or nil when the server filters.
  public let localFilter: LocalEventFilter?

  /// The plan for `specifiers` (texts as given, already validated) on a server whose features do
  /// (`serverFilters`) or do not include `websocket-changed-filter`.
  ///
  /// Specifiers with the same canonical form are registered once.
  public init(specifiers: [WatchSpecifier], serverFilters: Bool) {
    var seen = Set<String>()
    var commands: [String] = []
    for specifier in specifiers {
      let text = serverFilters ? specifier.text : specifier.typeActionKey
      let identity = serverFilters ? specifier.parsed.canonicalText : text
      if seen.insert(identity).inserted { commands.append("register " + text) }
    }
    self.commands = commands
    localFilter = serverFilters ? nil : LocalEventFilter(specifiers.map(\.parsed))
  }

  /// Whether `event`, delivered by the server, is one the user asked for.
  public func accepts(_ event: Event) -> Bool {
    localFilter?.accepts(event) ?? true
  }
}

/// A specifier to watch: the text as the user gave it and its parsed form.
public struct WatchSpecifier: Sendable, Equatable {
  /// The text as given (after trimming), sent to servers that filter.
  public let text: String
  /// The parsed specifier.
  public let parsed: EventSpecifier

  /// Parses `text`; the diagnostic's offset is a byte offset in `text`.
  public init(parsing text: String) throws(Diagnostic) {
    self.text = text
    parsed = try EventSpecifier(parsing: text)
  }

  /// A parsed specifier, sent as its canonical text.
  public init(_ specifier: EventSpecifier) {
    text = specifier.canonicalText
    parsed = specifier
  }

  /// The `type.action.key` part, without the filter: the first three dot-separated parts of
  /// the canonical text (a dot inside a value is written `\1`, so the first dots separate).
  public var typeActionKey: String {
    var dots = 0
    let canonical = parsed.canonicalText
    for index in canonical.utf8.indices where canonical.utf8[index] == UInt8(ascii: ".") {
      dots += 1
      if dots == 3 { return String(canonical[..<index]) }
    }
    return canonical
  }

  public static func == (a: WatchSpecifier, b: WatchSpecifier) -> Bool {
    a.text == b.text && a.parsed == b.parsed
  }
}

/// The client-side filter: whether any of the watched specifiers matches an event.
///
/// It uses the library's indexed engine, so a long specifier file costs only the specifiers whose
/// type and key can match.
public final class LocalEventFilter: Sendable {
  private let registry = SubscriptionRegistry<Int>()

  /// A filter passing the events any of `specifiers` matches.
  public init(_ specifiers: [EventSpecifier]) {
    for specifier in specifiers { registry.register(specifier, for: 0) }
  }

  /// Whether any specifier matches `event`.
  public func accepts(_ event: Event) -> Bool {
    !registry.subscribers(matching: event).isEmpty
  }
}
