import NATSClient

/// Where an event on the bus came from: the publishing hub's random id and the event's number
/// among that hub's events on the same subject, carried in the `Winnow-Origin` and
/// `Winnow-Seq` headers so that the payload stays the event's bytes as published.
///
/// NATS keeps the order of one publisher's messages to a subscriber, so on one subject the
/// numbers from one origin arrive increasing. A receiving hub uses that twice: a number not
/// above the last one seen is a copy (the hub has several subscriptions covering the subject,
/// and NATS delivers one copy per subscription), and a jump shows how many events NATS lost
/// (core NATS is at most once: a node killed, a hub disconnected for a while).
struct BusOrigin: Hashable, Sendable {
  static let originHeader = "Winnow-Origin"
  static let sequenceHeader = "Winnow-Seq"

  var id: String
  var sequence: UInt64

  init(id: String, sequence: UInt64) {
    self.id = id
    self.sequence = sequence
  }

  /// Reads the headers of a bus message; nil when they are missing or malformed (a message
  /// some other publisher put on the subject).
  init?(_ headers: NATSHeaders?) {
    guard let headers, let id = headers[Self.originHeader], !id.isEmpty,
      let text = headers[Self.sequenceHeader], let sequence = UInt64(text)
    else { return nil }
    self.init(id: id, sequence: sequence)
  }

  var headers: NATSHeaders {
    NATSHeaders([
      .init(name: Self.originHeader, value: id),
      .init(name: Self.sequenceHeader, value: String(sequence)),
    ])
  }
}

/// The publishing side: the next number per subject.
struct BusPublishSequence: Sendable {
  private var next: [String: UInt64] = [:]

  /// The number for the next event on `subject`, which only a successful publish consumes
  /// (see ``commit(_:)``), so that a refused publish leaves no gap for receivers to count.
  func peek(_ subject: String) -> UInt64 { next[subject, default: 1] }

  mutating func commit(_ subject: String) { next[subject, default: 1] += 1 }
}

/// The receiving side: drops copies and counts the events missing between those received.
struct BusReceiveTracker: Sendable {
  /// What to do with a received message.
  enum Verdict: Equatable, Sendable {
    /// Deliver it; `lost` events from the same origin on the same subject never arrived.
    case deliver(lost: UInt64)
    /// A copy of one already delivered.
    case duplicate
  }

  private struct Key: Hashable, Sendable {
    var origin: String
    var subject: String
  }

  private var last: [Key: UInt64] = [:]
  private(set) var lost: UInt64 = 0
  private(set) var duplicates: UInt64 = 0

  mutating func receive(subject: String, from origin: BusOrigin) -> Verdict {
    let key = Key(origin: origin.id, subject: subject)
    guard let previous = last[key] else {
      last[key] = origin.sequence  // the first seen: nothing to compare with
      return .deliver(lost: 0)
    }
    if origin.sequence <= previous {
      duplicates += 1
      return .duplicate
    }
    let missing = origin.sequence - previous - 1
    lost += missing
    last[key] = origin.sequence
    return .deliver(lost: missing)
  }

  /// Forgets the subjects no subscription covers any more, so that events published while the
  /// hub had no interest in them are not counted as lost when interest returns.
  mutating func forget(where isUncovered: (String) -> Bool) {
    last = last.filter { !isUncovered($0.key.subject) }
  }

  var trackedCount: Int { last.count }
}
