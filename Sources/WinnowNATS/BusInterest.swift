/// The subjects a hub is subscribed to, each with the number of registrations that need it: a
/// subject is subscribed when its count goes from 0 to 1 and unsubscribed when it returns to 0.
///
/// Not thread-safe; the bus keeps it under its lock.
struct BusInterest: Sendable {
  private(set) var counts: [String: Int] = [:]

  /// Adds one reference to each subject; returns those that were not needed before.
  mutating func add(_ subjects: [String]) -> [String] {
    var added: [String] = []
    for subject in subjects {
      counts[subject, default: 0] += 1
      if counts[subject] == 1 { added.append(subject) }
    }
    return added
  }

  /// Removes one reference from each subject; returns those no longer needed.
  ///
  /// A subject without references is ignored (the caller removes only what it added).
  mutating func remove(_ subjects: [String]) -> [String] {
    var removed: [String] = []
    for subject in subjects {
      guard let count = counts[subject] else { continue }
      if count == 1 {
        counts[subject] = nil
        removed.append(subject)
      } else {
        counts[subject] = count - 1
      }
    }
    return removed
  }

  /// Whether some subscribed subject covers `subject`.
  func covers(_ subject: String) -> Bool {
    counts.keys.contains { subjectMatches(pattern: $0, subject: subject) }
  }
}
