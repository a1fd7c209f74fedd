#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A wall-clock instant, written as RFC 3339 UTC text with nanoseconds as DRP writes `Time`
/// (`2026-11-28T13:30:18.123456789Z`).
public struct Timestamp: Sendable, Hashable, Comparable {
  /// Seconds since the Unix epoch.
  public let seconds: Int
  /// Nanoseconds within the second.
  public let nanoseconds: Int

  /// The instant `seconds` and `nanoseconds` after the Unix epoch.
  public init(seconds: Int, nanoseconds: Int = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  /// The current time.
  public static func now() -> Timestamp {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Timestamp(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec))
  }

  public static func < (a: Timestamp, b: Timestamp) -> Bool {
    (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
  }

  /// The RFC 3339 text in UTC.
  public var rfc3339: String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    func pad(_ value: Int, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-"
      + pad(Int(parts.tm_mday), 2) + "T" + pad(Int(parts.tm_hour), 2) + ":"
      + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2) + "."
      + pad(nanoseconds, 9) + "Z"
  }
}
