import Testing
import WinnowHub

@Suite("ReconnectBackoff: the delays between connection attempts")
struct ReconnectBackoffTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let attempt: Int
    let random: Double
    let milliseconds: Int64
    var testDescription: String { "attempt \(attempt), random \(random)" }
  }

  /// The default schedule: up to 250 ms doubling to 30 s, the lower half random.
  static let cases: [Case] = [
    Case(attempt: 0, random: 0, milliseconds: 250),
    Case(attempt: 0, random: 0.5, milliseconds: 187),
    Case(attempt: 0, random: 0.999999, milliseconds: 125),
    Case(attempt: 1, random: 0, milliseconds: 500),
    Case(attempt: 2, random: 0, milliseconds: 1000),
    Case(attempt: 6, random: 0, milliseconds: 16000),
    Case(attempt: 7, random: 0, milliseconds: 30000),  // 32 s, bounded
    Case(attempt: 7, random: 0.999999, milliseconds: 15000),
    Case(attempt: 60, random: 0, milliseconds: 30000),
    Case(attempt: Int.max, random: 0, milliseconds: 30000),  // far past: no overflow
    Case(attempt: -5, random: 0, milliseconds: 250),
    Case(attempt: 3, random: 7, milliseconds: 1000),  // random clamped to 1: half of 2 s
  ]

  @Test(arguments: cases)
  func schedule(_ c: Case) {
    let delay = ReconnectBackoff().delay(attempt: c.attempt, random: c.random)
    let milliseconds =
      delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000
    #expect(milliseconds == c.milliseconds)
  }

  @Test func neverShorterThanHalfNorLongerThanTheBound() {
    let backoff = ReconnectBackoff()
    for attempt in 0..<40 {
      let delay = backoff.delay(attempt: attempt)
      #expect(delay >= .milliseconds(125))
      #expect(delay <= .seconds(30))
    }
  }

  @Test func growsMonotonicallyWithoutJitter() {
    let backoff = ReconnectBackoff(
      initial: .milliseconds(10), maximum: .seconds(1), multiplier: 3, jitter: 0)
    let delays = (0..<10).map { backoff.delay(attempt: $0, random: 0.7) }
    #expect(delays.first == .milliseconds(10))
    #expect(delays.last == .seconds(1))
    #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 })
  }

  @Test func clampsItsParameters() {
    let backoff = ReconnectBackoff(multiplier: 0.1, jitter: 5)
    #expect(backoff.multiplier == 1)
    #expect(backoff.jitter == 1)
    #expect(backoff.delay(attempt: 9, random: 0) == .milliseconds(250))
  }
}
