extension EventSpecifier {
  /// Whether the event matches: its Action is one of the actions, its Type and Key match the type
  /// and key parts (with the special job entries), and the filter, if any, matches it under the
  /// event rules.
  ///
  /// Values compare byte for byte with the decoded specifier values.
  ///
  /// The first call compiles the specifier (see ``EventMatcher``); later calls, also on
  /// copies, reuse it. To match events against many specifiers, use one ``EventMatcher``.
  public func matches(_ event: Event) -> Bool {
    soleMatcher.matches(event)
  }

  /// Whether a parsed event matches (see ``matches(_:)-(Event)``).
  public func matches(_ event: ParsedEvent) -> Bool {
    soleMatcher.matches(event)
  }

  /// How many regex matches of the filter's patterns gave up at the engine's limits (each
  /// counted as no match), wherever the filter was evaluated.
  public var regexLimitHits: Int { filter?.regexLimitHits ?? 0 }
}

extension JSONView {
  /// The string at `Object.<name>` of an event (the last member of that name), or nil when
  /// Object is not an object or that member is missing or not a string.
  func jobReference(_ fields: EventFields, _ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
    let object = fields.object
    guard object >= 0, kind(object) == .object else { return nil }
    let end = skip(object)
    var node = object + 2
    var found: UnsafeBufferPointer<UInt8>? = nil
    while node < end {
      let value = node + 2
      if string(node).equals(name) { found = kind(value) == .string ? string(value) : nil }
      node = skip(value)
    }
    return found
  }
}
