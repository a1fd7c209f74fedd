extension SubscriptionIndex {
  /// Finds the subscribers of `event` and leaves their ids, each once, in `scratch.matched`.
  @usableFromInline
  func collect(_ event: ParsedEvent, into scratch: SubscriptionScratch) {
    collect(event.view, event.fields, into: scratch)
  }

  /// Finds the subscribers of the event viewed by `view` and leaves their ids, each once, in
  /// `scratch.matched`.
  ///
  /// Visits only the buckets the event's Type and Key (and, for jobs, `Object.Machine` and
  /// `Object.WorkOrder`) select. A specifier reached twice is checked once, a filter shared by
  /// several specifiers is evaluated at most once, and a subscriber is collected once, all by
  /// stamps in `scratch`; nothing is allocated once `scratch` has grown to the index's size.
  /// Stamps are skipped where a duplicate is impossible: a specifier in a single bucket (the
  /// buckets of one event are distinct), and a subscriber holding a single specifier.
  func collect(_ view: JSONView, _ fields: EventFields, into scratch: SubscriptionScratch) {
    scratch.begin(
      specifiers: specifiers.count, filters: filters.count, subscribers: registrations.count)
    let type = view.text(fields.type)
    let key = view.text(fields.key)
    // Every bucket first (at most eight), then one pass over them with the hot arrays borrowed.
    let none = UInt64.max
    var found: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
      SubscriptionIndex.mapValue(SubscriptionIndex.anyTypeAnyKey, only: -1),
      none, none, none, none, none, none, none
    )
    let counts = namespaceCounts
    let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    @inline(__always) func find(
      _ namespace: Namespace, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>
    ) -> UInt64 {
      counts[Int(namespace.rawValue)] == 0 ? none : bucketMap.find(namespace.rawValue, a, b) ?? none
    }
    found.1 = find(.typeAndKey, type, key)
    found.2 = find(.type, type, empty)
    found.3 = find(.key, key, empty)
    if type.equals("jobs") {
      found.4 = SubscriptionIndex.mapValue(SubscriptionIndex.machineJobsAnyKey, only: -1)
      found.5 = SubscriptionIndex.mapValue(SubscriptionIndex.workOrderJobsAnyKey, only: -1)
      if counts[Int(Namespace.machine.rawValue)] > 0,
        let machine = view.jobReference(fields, "Machine")
      {
        found.6 = find(.machine, machine, empty)
      }
      if counts[Int(Namespace.workOrder.rawValue)] > 0,
        let workOrder = view.jobReference(fields, "WorkOrder")
      {
        found.7 = find(.workOrder, workOrder, empty)
      }
    }
    var visitor = Visitor(
      stamps: Stamps(scratch), matched: scratch.takeMatched(), actionLists: actionLists,
      action: view.text(fields.action), subject: Subject(event: view, fields: fields))
    buckets.withUnsafeBufferPointer { buckets in
      records.withUnsafeBufferPointer { records in
        filters.withUnsafeBufferPointer { filters in
          withUnsafeBytes(of: found) { found in
            for value in found.bindMemory(to: UInt64.self) where value != none {
              let only = SubscriptionIndex.onlySpecifier(ofMapValue: value)
              if only >= 0 {
                // A bucket of one specifier, named by the map itself.
                visitor.consider(only, records, filters)
              } else {
                for id in buckets[Int(SubscriptionIndex.bucket(ofMapValue: value))] {
                  visitor.consider(id, records, filters)
                }
              }
            }
          }
        }
      }
    }
    scratch.matched = visitor.matched
  }

  /// Checks the specifiers of the visited buckets against one event.
  private struct Visitor {
    let stamps: Stamps
    var matched: [Int32]
    let actionLists: [[[UInt8]]]
    let action: UnsafeBufferPointer<UInt8>
    let subject: Subject

    /// Checks one specifier: its action list, then its filter; collects its subscribers.
    @inline(__always)
    mutating func consider(
      _ id: Int32, _ records: UnsafeBufferPointer<Record>,
      _ filters: UnsafeBufferPointer<CompiledFilter>
    ) {
      let i = Int(id)
      if records[i].isShared {
        if stamps.specifiers[i] == stamps.epoch { return }
        stamps.specifiers[i] = stamps.epoch
      }
      let actions = Int(records[i].actions)
      if actions >= 0 && !EventSpecifier.contains(actionLists[actions], action) { return }
      let filter = Int(records[i].filter)
      if filter >= 0 && !stamps.filterHolds(filter, filters, subject) { return }
      deliver(records[i].first)  // a live record has at least one subscriber
      if !records[i].more.isEmpty {
        records[i].more.withUnsafeBufferPointer { more in
          for entry in more { deliver(entry) }
        }
      }
    }

    @inline(__always)
    private mutating func deliver(_ entry: Int32) {
      if entry < 0 {
        matched.append(~entry)  // holds only this specifier: no stamp needed
      } else if stamps.subscribers[Int(entry)] != stamps.epoch {
        stamps.subscribers[Int(entry)] = stamps.epoch
        matched.append(entry)
      }
    }
  }

  /// The scratch's stamp pointers and epoch, in locals: no exclusivity checks in the loop.
  private struct Stamps {
    let specifiers: UnsafeMutablePointer<UInt32>
    let filters: UnsafeMutablePointer<UInt32>
    let subscribers: UnsafeMutablePointer<UInt32>
    let epoch: UInt32

    init(_ scratch: SubscriptionScratch) {
      specifiers = scratch.specifierStamps.base
      filters = scratch.filterStamps.base
      subscribers = scratch.subscriberStamps.base
      epoch = scratch.epoch
    }

    /// The filter's result for this event, evaluated on first use.
    @inline(__always)
    func filterHolds(
      _ filter: Int, _ compiled: UnsafeBufferPointer<CompiledFilter>, _ subject: Subject
    ) -> Bool {
      let stamp = filters[filter]
      if stamp >> 1 == epoch { return stamp & 1 == 1 }
      let holds = compiled[filter].evaluate(subject)
      filters[filter] = epoch << 1 | (holds ? 1 : 0)
      return holds
    }
  }
}
