/// How long `winnow watch` waits before connecting again: exponential backoff, bounded, with
/// jitter, so that many clients of a restarted server do not all come back at once.
///
/// Attempt `n` (0 for the first retry) waits a random time between `(1 - jitter)·d` and `d`,
/// where `d = min(maximum, initial · multiplier^n)`. A connection that registered successfully
/// starts the count again at 0.
public struct ReconnectBackoff: Sendable, Equatable {
  /// The longest delay of the first retry.
  public var initial: Duration
  /// The bound: no delay is longer.
  public var maximum: Duration
  /// The growth per attempt (at least 1).
  public var multiplier: Double
  /// The fraction of each delay that is random, from 0 (none) to 1 (anything from 0 to `d`).
  public var jitter: Double

  /// A schedule; the defaults wait up to 0.25 s, 0.5 s, 1 s, … and at most 30 s.
  public init(
    initial: Duration = .milliseconds(250), maximum: Duration = .seconds(30),
    multiplier: Double = 2, jitter: Double = 0.5
  ) {
    self.initial = initial
    self.maximum = maximum
    self.multiplier = max(1, multiplier)
    self.jitter = min(1, max(0, jitter))
  }

  /// The delay before retry `attempt` (counted from 0), given `random` in `0..<1`.
  public func delay(attempt: Int, random: Double) -> Duration {
    let ceiling = Self.seconds(maximum)
    // Grows until it passes the bound; the exponent is capped so that it never overflows.
    let grown = Self.seconds(initial) * power(multiplier, Double(min(max(0, attempt), 1024)))
    let bound = grown.isFinite ? min(ceiling, grown) : ceiling
    let factor = 1 - jitter * min(max(random, 0), 1)
    return .nanoseconds(Int64((bound * factor * 1e9).rounded()))
  }

  /// The delay before retry `attempt`, with system randomness.
  public func delay(attempt: Int) -> Duration {
    delay(attempt: attempt, random: Double.random(in: 0..<1))
  }

  private static func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) * 1e-18
  }

  private func power(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var n = Int(exponent)
    while n > 0 && result.isFinite {
      result *= base
      n -= 1
    }
    return result
  }
}
