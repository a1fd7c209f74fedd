import Synchronization

/// Unique ids for messages and watches the hub creates: a random prefix per process and a
/// counter, so ids never repeat within a run and are unlikely to repeat across runs.
package enum MessageIDGenerator {
  private static let counter = Atomic<UInt64>(0)
  private static let prefix = String(UInt32.random(in: .min ... .max), radix: 36)

  /// The next id, such as `1x2k9a-17`.
  package static func next() -> String {
    let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
    return "\(prefix)-\(String(n, radix: 36))"
  }
}
