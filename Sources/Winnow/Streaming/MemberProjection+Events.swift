extension MemberProjection {
  /// The members an event stream matcher can read.
  ///
  /// They are the string members the event check reads (whole), `Object.Machine` and
  /// `Object.WorkOrder` when job references are looked up, and per filter the value at every
  /// path (whole), with only the members on the way to it in the objects the path goes
  /// through; for `Changed` the path inside `Object` and inside `Original` (both whole when the
  /// path is empty). Nil when a filter reads the whole event (a path with no steps): then
  /// nothing may be skipped.
  static func event(filters: [Term], readsJobReferences: Bool) -> MemberProjection? {
    var selection = MemberSelection()
    for name in EventFields.stringMemberNames { selection.insert([name]) }
    if readsJobReferences {
      selection.insert([Array("Object".utf8), Array("Machine".utf8)])
      selection.insert([Array("Object".utf8), Array("WorkOrder".utf8)])
    }
    for term in filters {
      guard term.collectMembers(into: &selection) else { return nil }
    }
    return MemberProjection(selection)
  }

  /// The projection of a stream filtered by a compiled filter (see ``event(filters:readsJobReferences:)``).
  static func event(filter: CompiledFilter) -> MemberProjection? {
    event(filters: [filter.filter.term], readsJobReferences: false)
  }

  /// The projection of a stream filtered by specifiers: their filters, and the job references
  /// in `Object` for the `machine_jobs` and `work_order_jobs` types.
  static func event(specifiers: [EventSpecifier]) -> MemberProjection? {
    event(
      filters: specifiers.compactMap { $0.filter?.term },
      readsJobReferences: specifiers.contains { $0.selectsMachineJobs || $0.selectsWorkOrderJobs })
  }
}

extension MemberProjection {
  /// This projection, or nil when it keeps `Object` whole: the bulk of an event's bytes, so
  /// that skipping the rest saves less than the skipper's checks cost (measured on the
  /// generated stream: -0.2 % instructions when Original is skipped, +2 % when only small
  /// members are).
  var worthUsingForEvents: MemberProjection? {
    selection.keepsWhole(Array("Object".utf8)) ? nil : self
  }
}

extension Term {
  /// Adds what the term's evaluation on an event can read: the value at each path, whole, and
  /// the members on the way to it; false when it can read the whole event.
  func collectMembers(into selection: inout MemberSelection) -> Bool {
    switch self {
    case .and(let terms), .or(let terms):
      for term in terms where !term.collectMembers(into: &selection) { return false }
      return true
    case .not(let term):
      return term.collectMembers(into: &selection)
    case .field(let path, .changed):
      // Under the event rules the path is looked up inside Object and Original.
      let keys = path.steps.map(\.key)
      selection.insert([Array("Object".utf8)] + keys)
      selection.insert([Array("Original".utf8)] + keys)
      return true
    case .field(let path, _):
      guard !path.steps.isEmpty else { return false }
      selection.insert(path.steps.map(\.key))
      return true
    }
  }
}
