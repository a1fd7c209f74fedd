import NIOCore
import Synchronization
import Testing

@testable import WinnowHub

@Suite struct DeliveryQueueTests {
  static func item(_ n: Int) -> Outbound { .message(ByteBuffer(string: String(n))) }

  @Test func holdsCapacityThenOverflowsOnce() {
    let queue = DeliveryQueue(capacity: 2)
    #expect(queue.enqueue(Self.item(1)) == .queued)
    #expect(queue.enqueue(Self.item(2)) == .queued)
    #expect(queue.enqueue(Self.item(3)) == .overflowed)
    #expect(queue.enqueue(Self.item(4)) == .closed)
    #expect(queue.closeReason == .slowConsumer)
    var items: [Outbound] = []
    guard case .closed(.slowConsumer)? = queue.poll(into: &items) else {
      Issue.record("a slow consumer keeps nothing queued")
      return
    }
    #expect(items.isEmpty)
  }

  @Test func closeDeliversQueuedItemsFirst() {
    let queue = DeliveryQueue(capacity: 10)
    queue.enqueue(Self.item(1))
    queue.close(.goingAway)
    queue.close(.slowConsumer)
    #expect(queue.enqueue(Self.item(2)) == .closed)
    var items: [Outbound] = []
    guard case .items? = queue.poll(into: &items) else {
      Issue.record("queued item lost")
      return
    }
    #expect(items.count == 1)
    guard case .closed(.goingAway)? = queue.poll(into: &items) else {
      Issue.record("first reason not kept")
      return
    }
  }

  @Test func writerWakesForItemsAndClose() async {
    let queue = DeliveryQueue(capacity: 100_000)
    let writer = Task {
      var received = 0
      var items: [Outbound] = []
      while true {
        switch await queue.next(into: &items) {
        case .items:
          received += items.count
          items.removeAll(keepingCapacity: true)
        case .closed(let reason):
          return (received, reason)
        }
      }
    }
    for n in 0..<50_000 { queue.enqueue(Self.item(n)) }
    queue.close(.goingAway)
    let (received, reason) = await writer.value
    #expect(received == 50_000)
    #expect(reason == .goingAway)
  }

  @Test func aDeferredWakeHandsTheWriterEverythingInOneBatch() async {
    let queue = DeliveryQueue(capacity: 100)
    let writer = Task {
      var items: [Outbound] = []
      var batches: [Int] = []
      while batches.reduce(0, +) < 30 {
        guard case .items = await queue.next(into: &items) else { break }
        batches.append(items.count)
        items.removeAll(keepingCapacity: true)
      }
      return (batches, items)
    }
    for round in 0..<3 {
      while !queue.writerWaits { try? await Task.sleep(for: .milliseconds(1)) }
      for n in 0..<10 {
        #expect(queue.enqueue(Self.item(round * 10 + n), wakingWriter: false) == .queued)
      }
      queue.wakeWriter()
    }
    let (batches, _) = await writer.value
    #expect(batches.allSatisfy { $0 % 10 == 0 })
    #expect(batches.reduce(0, +) == 30)
    // Waking a writer that does not wait does nothing.
    queue.wakeWriter()
    #expect(queue.count == 0)
  }

  @Test func anOverflowWithDeferredWakeStillClosesAsSlowConsumer() {
    let queue = DeliveryQueue(capacity: 2)
    #expect(queue.enqueue(Self.item(1), wakingWriter: false) == .queued)
    #expect(queue.enqueue(Self.item(2), wakingWriter: false) == .queued)
    #expect(queue.enqueue(Self.item(3), wakingWriter: false) == .overflowed)
    #expect(queue.closeReason == .slowConsumer)
  }

  /// Counts the drain requests a queue makes.
  final class DrainRequests: Sendable {
    private let count = Atomic<Int>(0)
    var made: Int { count.load(ordering: .relaxed) }
    func attach(to queue: DeliveryQueue) {
      queue.requestDrains { self.count.add(1, ordering: .relaxed) }
    }
  }

  /// One step of a drain-request scenario and the requests made so far after it.
  struct DrainStep: CustomTestStringConvertible {
    enum Action {
      case enqueue(Int, waking: Bool)
      case wake
      /// A drain polls once; `expect` says what it finds.
      case poll(expect: PollOutcome)
      case close(CloseReason)
    }
    enum PollOutcome: Equatable {
      case items(Int)
      case nothing
      case closed(CloseReason)
    }
    let action: Action
    let requests: Int
    var testDescription: String { "\(action) → \(requests)" }
  }

  struct DrainCase: CustomTestStringConvertible {
    let name: String
    let steps: [DrainStep]
    var testDescription: String { name }
  }

  static let drainCases: [DrainCase] = [
    DrainCase(
      name: "items queued while a drain is pending join it; an empty poll ends it",
      steps: [
        .init(action: .enqueue(1, waking: true), requests: 1),
        .init(action: .enqueue(2, waking: true), requests: 1),
        .init(action: .poll(expect: .items(2)), requests: 1),
        .init(action: .enqueue(3, waking: true), requests: 1),
        .init(action: .poll(expect: .items(1)), requests: 1),
        .init(action: .poll(expect: .nothing), requests: 1),
        .init(action: .enqueue(4, waking: true), requests: 2),
        .init(action: .poll(expect: .items(1)), requests: 2),
      ]),
    DrainCase(
      name: "a body queued without waking requests one drain when woken",
      steps: [
        .init(action: .enqueue(1, waking: false), requests: 0),
        .init(action: .enqueue(2, waking: false), requests: 0),
        .init(action: .wake, requests: 1),
        .init(action: .wake, requests: 1),
        .init(action: .poll(expect: .items(2)), requests: 1),
        .init(action: .poll(expect: .nothing), requests: 1),
        .init(action: .wake, requests: 1),
      ]),
    DrainCase(
      name: "closing requests a drain even while one is pending (a paused drain hears of it)",
      steps: [
        .init(action: .enqueue(1, waking: true), requests: 1),
        .init(action: .close(.goingAway), requests: 2),
        .init(action: .poll(expect: .items(1)), requests: 2),
        .init(action: .poll(expect: .closed(.goingAway)), requests: 2),
        .init(action: .enqueue(2, waking: true), requests: 2),
      ]),
    DrainCase(
      name: "an overflow requests a drain that finds only the slow-consumer close",
      steps: [
        .init(action: .enqueue(1, waking: true), requests: 1),
        .init(action: .enqueue(2, waking: true), requests: 1),
        .init(action: .enqueue(3, waking: true), requests: 1),
        .init(action: .enqueue(4, waking: true), requests: 2),
        .init(action: .poll(expect: .closed(.slowConsumer)), requests: 2),
      ]),
  ]

  @Test(arguments: drainCases) func drainRequests(_ scenario: DrainCase) {
    let queue = DeliveryQueue(capacity: 3)
    let requests = DrainRequests()
    requests.attach(to: queue)
    var items: [Outbound] = []
    for step in scenario.steps {
      switch step.action {
      case .enqueue(let n, let waking): queue.enqueue(Self.item(n), wakingWriter: waking)
      case .wake: queue.wakeWriter()
      case .close(let reason): queue.close(reason)
      case .poll(let expected):
        items.removeAll()
        let outcome: DrainStep.PollOutcome
        switch queue.poll(into: &items, endingDrain: true) {
        case nil: outcome = .nothing
        case .items: outcome = .items(items.count)
        case .closed(let reason): outcome = .closed(reason)
        }
        #expect(outcome == expected, "\(step)")
      }
      #expect(requests.made == step.requests, "after \(step)")
    }
  }

  @Test func requestingDrainsOfAQueueWithItemsOrClosedRequestsAtOnce() {
    let filled = DeliveryQueue(capacity: 4)
    filled.enqueue(Self.item(1))
    let empty = DeliveryQueue(capacity: 4)
    let closed = DeliveryQueue(capacity: 4)
    closed.close(.goingAway)
    for (queue, expected) in [(filled, 1), (empty, 0), (closed, 1)] {
      let requests = DrainRequests()
      requests.attach(to: queue)
      #expect(requests.made == expected)
      #expect(queue.drainPending == (expected == 1))
    }
  }
}
