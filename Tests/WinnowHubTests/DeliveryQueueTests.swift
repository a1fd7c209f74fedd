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
}
