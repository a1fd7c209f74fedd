extension SubscriptionIndex {
  /// Finds the subscribers of `event` and leaves their ids, each once, in `scratch.matched`.
  @usableFromInline
  func collect(_ event: Event, into scratch: SubscriptionScratch) {
    event.document.withView { view in collect(view, event.fields, into: scratch) }
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
    let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    let type = view.text(fields.type)
    let key = view.text(fields.key)
    // Every bucket first (at most eight), then one pass over them with the hot arrays borrowed.
    var found: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (
      SubscriptionIndex.anyTypeAnyKey, -1, -1, -1, -1, -1, -1, -1
    )
    let counts = namespaceCounts
    @inline(__always) func find(
      _ namespace: Namespace, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>
    ) -> Int32 {
      counts[Int(namespace.rawValue)] == 0 ? -1 : bucketMap.find(namespace.rawValue, a, b) ?? -1
    }
    found.1 = find(.typeAndKey, type, key)
    found.2 = find(.type, type, none)
    found.3 = find(.key, key, none)
    if type.equals("jobs") {
      found.4 = SubscriptionIndex.machineJobsAnyKey
      found.5 = SubscriptionIndex.workOrderJobsAnyKey
      if counts[Int(Namespace.machine.rawValue)] > 0,
        let machine = view.jobReference(fields, "Machine")
      {
        found.6 = find(.machine, machine, none)
      }
      if counts[Int(Namespace.workOrder.rawValue)] > 0,
        let workOrder = view.jobReference(fields, "WorkOrder")
      {
        found.7 = find(.workOrder, workOrder, none)
      }
    }
    var matched = scratch.takeMatched()
    let stamps = Stamps(scratch)
    let subject = Subject(event: view, fields: fields)
    let action = view.text(fields.action)
    buckets.withUnsafeBufferPointer { buckets in
      records.withUnsafeBufferPointer { records in
        filters.withUnsafeBufferPointer { filters in
          withUnsafeBytes(of: found) { found in
            for bucket in found.bindMemory(to: Int32.self) where bucket >= 0 {
              for id in buckets[Int(bucket)] {
                let i = Int(id)
                if records[i].isShared {
                  if stamps.specifiers[i] == stamps.epoch { continue }
                  stamps.specifiers[i] = stamps.epoch
                }
                if let actions = records[i].actions, !EventSpecifier.contains(actions, action) {
                  continue
                }
                let filter = Int(records[i].filter)
                if filter >= 0 && !stamps.filterHolds(filter, filters, subject) { continue }
                records[i].subscribers.withUnsafeBufferPointer { subscribers in
                  for entry in subscribers {
                    if entry < 0 {
                      matched.append(~entry)  // holds only this specifier: no stamp needed
                    } else if stamps.subscribers[Int(entry)] != stamps.epoch {
                      stamps.subscribers[Int(entry)] = stamps.epoch
                      matched.append(entry)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    scratch.matched = matched
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
