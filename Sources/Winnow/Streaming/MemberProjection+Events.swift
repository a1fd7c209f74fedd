extension MemberProjection {
  /// The top-level members an event stream matcher can read.
  ///
  /// They are the string members the event check reads, `Object` when job references are
  /// looked up, and per filter the first name of every path (`Object` and `Original` for
  /// `Changed`). Nil when a filter reads the whole event (a path with no steps): then nothing
  /// may be skipped.
  static func event(filters: [Term], readsJobReferences: Bool) -> MemberProjection? {
    var names = Set(EventFields.stringMemberNames)
    if readsJobReferences { names.insert(Array("Object".utf8)) }
    for term in filters {
      guard term.collectTopLevelMembers(into: &names) else { return nil }
    }
    return MemberProjection(names)
  }

  /// The projection of a stream filtered by a compiled filter (see ``event(filters:readsJobReferences:)``).
  static func event(filter: CompiledFilter) -> MemberProjection? {
    event(filters: [filter.filter.term], readsJobReferences: false)
  }

  /// The projection of a stream filtered by specifiers: their filters, and `Object` for the
  /// `machine_jobs` and `work_order_jobs` types.
  static func event(specifiers: [EventSpecifier]) -> MemberProjection? {
    event(
      filters: specifiers.compactMap { $0.filter?.term },
      readsJobReferences: specifiers.contains { $0.selectsMachineJobs || $0.selectsWorkOrderJobs })
  }
}

extension MemberProjection {
  /// This projection, or nil when it keeps `Object`: the bulk of an event's bytes, so that
  /// skipping the rest saves less than the skipper's checks cost (measured on the generated
  /// stream: -0.2 % instructions when Original is skipped, +2 % when only small members are).
  var worthUsingForEvents: MemberProjection? {
    names.contains(Array("Object".utf8)) ? nil : self
  }
}

extension Term {
  /// Adds the top-level member names the term's evaluation on an event can look up; false
  /// when it can read the whole event.
  func collectTopLevelMembers(into names: inout Set<[UInt8]>) -> Bool {
    switch self {
    case .and(let terms), .or(let terms):
      for term in terms where !term.collectTopLevelMembers(into: &names) { return false }
      return true
    case .not(let term):
      return term.collectTopLevelMembers(into: &names)
    case .field(_, .changed):
      // Under the event rules the path is looked up inside Object and Original.
      names.insert(Array("Object".utf8))
      names.insert(Array("Original".utf8))
      return true
    case .field(let path, _):
      guard let first = path.steps.first else { return false }
      names.insert(first.key)
      return true
    }
  }
}
