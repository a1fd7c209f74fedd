import NIOCore
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
}
