extension SubscriptionIndex {
  /// Finds the subscribers of the event viewed by `view` and leaves their ids, each once, in
  /// `scratch.matched`.
  ///
  /// Visits only the buckets the event's Type and Key (and, for jobs, `Object.Machine` and
  /// `Object.WorkOrder`) select. A specifier reached twice is checked once, a filter shared by
  /// several specifiers is evaluated at most once, and a subscriber is collected once, all by
  /// stamps in `scratch`; nothing is allocated once `scratch` has grown to the index's size.
  func collect(_ view: JSONView, _ fields: EventFields, into scratch: SubscriptionScratch) {
    scratch.begin(
      specifiers: specifiers.count, filters: filters.count, subscribers: registrations.count)
    let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    let type = view.text(fields.type)
    let key = view.text(fields.key)
    var dispatch = Dispatch(index: self, view: view, fields: fields, scratch: scratch)
    dispatch.visit(SubscriptionIndex.anyTypeAnyKey)
    let map = bucketMap
    if let bucket = map.find(Namespace.typeAndKey.rawValue, type, key) { dispatch.visit(bucket) }
    if let bucket = map.find(Namespace.type.rawValue, type, none) { dispatch.visit(bucket) }
    if let bucket = map.find(Namespace.key.rawValue, key, none) { dispatch.visit(bucket) }
    if type.equals("jobs") {
      dispatch.visit(SubscriptionIndex.machineJobsAnyKey)
      dispatch.visit(SubscriptionIndex.workOrderJobsAnyKey)
      if let machine = view.jobReference(fields, "Machine"),
        let bucket = map.find(Namespace.machine.rawValue, machine, none)
      {
        dispatch.visit(bucket)
      }
      if let workOrder = view.jobReference(fields, "WorkOrder"),
        let bucket = map.find(Namespace.workOrder.rawValue, workOrder, none)
      {
        dispatch.visit(bucket)
      }
    }
    scratch.matched = dispatch.matched
  }

  /// The state of one dispatch, with the index's arrays and the scratch pointers held in locals
  /// so that the loop does no exclusivity checks or reference counting per specifier.
  private struct Dispatch {
    let buckets: [[Int32]]
    let actions: [[[UInt8]]?]
    let specifierFilters: [Int32]
    let filters: [CompiledFilter?]
    let subscribers: [[Int32]]
    let specifierStamps: UnsafeMutablePointer<UInt32>
    let filterStamps: UnsafeMutablePointer<UInt32>
    let subscriberStamps: UnsafeMutablePointer<UInt32>
    let epoch: UInt32
    let action: UnsafeBufferPointer<UInt8>
    let subject: Subject
    var matched: [Int32]

    init(
      index: SubscriptionIndex, view: JSONView, fields: EventFields, scratch: SubscriptionScratch
    ) {
      buckets = index.buckets
      actions = index.specifierActions
      specifierFilters = index.specifierFilters
      filters = index.filters
      subscribers = index.specifierSubscribers
      specifierStamps = scratch.specifierStamps.base
      filterStamps = scratch.filterStamps.base
      subscriberStamps = scratch.subscriberStamps.base
      epoch = scratch.epoch
      action = view.text(fields.action)
      subject = Subject(event: view, fields: fields)
      matched = scratch.matched
      scratch.matched = []
    }

    /// Checks every specifier of one bucket not seen yet for this event.
    mutating func visit(_ bucket: Int32) {
      for id in buckets[Int(bucket)] {
        let i = Int(id)
        if specifierStamps[i] == epoch { continue }
        specifierStamps[i] = epoch
        if let values = actions[i], !EventSpecifier.contains(values, action) { continue }
        let filter = Int(specifierFilters[i])
        if filter >= 0 && !filterHolds(filter) { continue }
        for subscriber in subscribers[i] where subscriberStamps[Int(subscriber)] != epoch {
          subscriberStamps[Int(subscriber)] = epoch
          matched.append(subscriber)
        }
      }
    }

    /// The filter's result for this event, evaluated on first use.
    @inline(__always)
    private func filterHolds(_ filter: Int) -> Bool {
      let stamp = filterStamps[filter]
      if stamp >> 1 == epoch { return stamp & 1 == 1 }
      let holds = filters[filter].unsafelyUnwrapped.evaluate(subject)
      filterStamps[filter] = epoch << 1 | (holds ? 1 : 0)
      return holds
    }
  }
}
