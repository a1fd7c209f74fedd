extension SubscriptionIndex {
  /// What dispatch reads of a specifier, packed in 24 bytes so that one cache line usually
  /// holds all of it: its action list and filter (both interned ids), whether it can be
  /// reached twice, and its subscribers, the first of which is kept inline (most specifiers
  /// have exactly one subscriber, so dispatch then reads no other memory).
  struct Record {
    /// The interned action list, or -1 for `*`.
    var actions: Int32
    /// The interned filter, or -1.
    var filter: Int32
    /// Whether the specifier sits in more than one bucket, so that one event can reach it twice.
    var isShared: Bool
    /// The first subscriber entry, or ``noEntry``.
    ///
    /// An entry is the subscriber id, or `~id` (negative) for a subscriber that holds no other
    /// specifier and so cannot be reached twice by one event.
    var first: Int32
    /// The other subscriber entries (empty while `first` is ``noEntry``).
    var more: [Int32]

    static let noEntry = Int32.min
    static let unused = Record(actions: -1, filter: -1, isShared: false, first: noEntry, more: [])

    var subscriberCount: Int { first == Record.noEntry ? 0 : 1 + more.count }

    /// The subscriber entry at `position` (0 is `first`).
    subscript(subscriberAt position: Int) -> Int32 {
      get { position == 0 ? first : more[position - 1] }
      set {
        if position == 0 { first = newValue } else { more[position - 1] = newValue }
      }
    }

    mutating func appendSubscriber(_ entry: Int32) {
      if first == Record.noEntry { first = entry } else { more.append(entry) }
    }

    /// Removes and returns the last subscriber entry; there must be one.
    mutating func removeLastSubscriber() -> Int32 {
      if let last = more.popLast() { return last }
      defer { first = Record.noEntry }
      return first
    }
  }

  /// The subscriber id in a subscriber entry of a ``Record``.
  @inline(__always)
  static func subscriber(_ entry: Int32) -> Int32 { entry < 0 ? ~entry : entry }
}
