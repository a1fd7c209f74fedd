extension EventSpecifier {
  /// Whether the event matches: its Action is one of the actions, its Type and Key match the
  /// type and key parts (with the special job entries), and the filter, if any, matches it under
  /// the event rules. Values compare byte for byte with the decoded specifier values.
  public func matches(_ event: Event) -> Bool {
    event.withParsed(matches)
  }

  /// Whether a parsed event matches (see ``matches(_:)-(Event)``).
  public func matches(_ event: ParsedEvent) -> Bool {
    matches(event.view, event.fields)
  }

  /// How many regex matches of the filter's patterns gave up at the engine's limits (each
  /// counted as no match).
  public var regexLimitHits: Int { filter?.regexLimitHits ?? 0 }

  /// Whether the event viewed by `view` matches; the hot path of ``matches(_:)``.
  func matches(_ view: JSONView, _ fields: EventFields) -> Bool {
    if let actionValues, !EventSpecifier.contains(actionValues, view.text(fields.action)) {
      return false
    }
    guard matchesTypeAndKey(view, fields) else { return false }
    guard let filter else { return true }
    let compiled = compiledFilter ?? filter.compiled()
    return compiled.evaluate(Subject(event: view, fields: fields))
  }

  /// The type and key parts: an ordinary type entry with the event's Key, or a special job entry
  /// with the job's `Object.Machine` or `Object.WorkOrder`.
  private func matchesTypeAndKey(_ view: JSONView, _ fields: EventFields) -> Bool {
    guard typeValues != nil else { return keyMatches(view.text(fields.key)) }
    let type = view.text(fields.type)
    if EventSpecifier.contains(ordinaryTypes, type) && keyMatches(view.text(fields.key)) {
      return true
    }
    guard (selectsMachineJobs || selectsWorkOrderJobs) && type.equals("jobs") else {
      return false
    }
    if keyValues == nil { return true }
    return (selectsMachineJobs && keyMatches(view.jobReference(fields, "Machine")))
      || (selectsWorkOrderJobs && keyMatches(view.jobReference(fields, "WorkOrder")))
  }

  /// Whether a value (nil: not a string) matches the key part.
  private func keyMatches(_ value: UnsafeBufferPointer<UInt8>?) -> Bool {
    guard let keyValues else { return true }
    guard let value else { return false }
    return EventSpecifier.contains(keyValues, value)
  }

  @inline(__always)
  static func contains(_ values: [[UInt8]], _ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
    for value in values where value.withUnsafeBufferPointer({ bytesEqual($0, candidate) }) {
      return true
    }
    return false
  }
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
