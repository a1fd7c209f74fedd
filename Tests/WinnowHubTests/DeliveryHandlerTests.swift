import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import WinnowHub

/// The delivery path on the event loop: a ``DeliveryHandler`` on an `EmbeddedChannel` (before a
/// websocket frame encoder, as on a hub's websocket), its drains run by a ``DrainScheduler``
/// when the test runs the loop.
@Suite struct DeliveryHandlerTests {
  /// Counts the flushes that reach the socket.
  final class FlushCounter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    var flushes = 0

    func flush(context: ChannelHandlerContext) {
      flushes += 1
      context.flush()
    }
  }

  /// A channel with a delivery handler on `queue`.
  struct Harness {
    let channel = EmbeddedChannel()
    let queue: DeliveryQueue
    let flushCounter = FlushCounter()
    /// What ``DeliveryHandler/install(on:queue:scheduler:)``'s future gave: nil while pending.
    let finished: NIOLoopBoundBox<CloseReason??>

    init(capacity: Int = 100, queue: DeliveryQueue? = nil) throws {
      self.queue = queue ?? DeliveryQueue(capacity: capacity)
      try channel.pipeline.syncOperations.addHandler(flushCounter)
      try channel.pipeline.syncOperations.addHandler(WebSocketFrameEncoder())
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
      finished = NIOLoopBoundBox(nil, eventLoop: channel.embeddedEventLoop)
      let future = DeliveryHandler.install(
        on: channel, queue: self.queue,
        scheduler: DrainScheduler(eventLoop: channel.embeddedEventLoop))
      let box = finished
      future.whenSuccess { box.value = .some($0) }
    }

    var flushes: Int { flushCounter.flushes }

    /// Runs the drains requested so far.
    func run() { channel.embeddedEventLoop.run() }

    /// The payload of the unmasked final text frame at the start of `bytes`.
    static func readTextFrame(from bytes: inout ByteBuffer) -> String? {
      guard bytes.readInteger(as: UInt8.self) == 0x81, let short = bytes.readInteger(as: UInt8.self)
      else { return nil }
      var length = Int(short)
      if length == 126 {
        guard let long = bytes.readInteger(as: UInt16.self) else { return nil }
        length = Int(long)
      } else if length == 127 {
        guard let long = bytes.readInteger(as: UInt64.self) else { return nil }
        length = Int(long)
      }
      return bytes.readString(length: length)
    }

    /// The payloads of the text frames written since the last call.
    func written() throws -> [String] {
      var bytes = ByteBuffer()
      while let part = try channel.readOutbound(as: ByteBuffer.self) {
        bytes.writeImmutableBuffer(part)
      }
      var payloads: [String] = []
      while bytes.readableBytes > 0 {
        guard let payload = Self.readTextFrame(from: &bytes) else {
          Issue.record("not a whole final text frame: \(bytes.readableBytes) bytes left")
          break
        }
        payloads.append(payload)
      }
      return payloads
    }
  }

  static func event(_ text: String) -> Outbound {
    .event(FramedEvent.framing(ByteBuffer(string: text)), stream: 0)
  }

  static func message(_ text: String) -> Outbound { .message(ByteBuffer(string: text)) }

  @Test func itemsGoOutInQueueOrderFramedWhateverTheirSize() throws {
    let harness = try Harness()
    let long = String(repeating: "x", count: 70_000)
    let middle = String(repeating: "y", count: 300)
    harness.queue.enqueue(Self.message("ack 1"))
    harness.queue.enqueue(Self.event("e1"))
    harness.queue.enqueue(Self.event(long))
    harness.queue.enqueue(Self.message(middle))
    harness.queue.enqueue(Self.event("e2"))
    #expect(try harness.written().isEmpty, "nothing is written before the loop runs")
    harness.run()
    #expect(try harness.written() == ["ack 1", "e1", long, middle, "e2"])
    #expect(harness.flushes == 1)
  }

  @Test func bodiesQueuedBeforeTheDrainRunsShareOneFlush() throws {
    let harness = try Harness()
    for body in 0..<3 {
      for n in 0..<4 { harness.queue.enqueue(Self.event("b\(body)e\(n)"), wakingWriter: false) }
      harness.queue.wakeWriter()
    }
    harness.run()
    #expect(try harness.written().count == 12)
    #expect(harness.flushes == 1)
    // The drain found the queue empty and ended: the next body gets a drain of its own.
    harness.queue.enqueue(Self.event("later"))
    harness.run()
    #expect(try harness.written() == ["later"])
    #expect(harness.flushes == 2)
  }

  @Test func aChannelUnwritableAfterAWriteHoldsItemsUntilItIsWritableAgain() throws {
    let harness = try Harness()
    harness.channel.isWritable = false
    harness.queue.enqueue(Self.event("e1"))
    harness.run()
    // The drain wrote what it took, found the channel unwritable and paused.
    #expect(try harness.written() == ["e1"])
    #expect(harness.queue.drainPending, "the paused drain stays pending")
    harness.queue.enqueue(Self.event("e2"))
    harness.queue.enqueue(Self.message("ack"))
    harness.run()
    #expect(try harness.written().isEmpty)
    #expect(harness.queue.count == 2)
    harness.channel.isWritable = true
    harness.channel.pipeline.fireChannelWritabilityChanged()
    #expect(try harness.written() == ["e2", "ack"])
    #expect(harness.flushes == 2)
    #expect(!harness.queue.drainPending)
  }

  /// A client that stops reading: its queue fills while the channel is unwritable and the hub
  /// closes it with 1008; another connection of the same hub gets every event meanwhile.
  @Test func aClientThatStopsReadingIsClosedAsSlowConsumerWhileOthersGetEverything() throws {
    let hub = EventHub(configuration: HubConfiguration(maxQueue: 8))
    let stalled = hub.connect(credential: .anonymous, remoteAddress: "a:1")
    let reading = hub.connect(credential: .anonymous, remoteAddress: "b:2")
    for connection in [stalled, reading] {
      guard case .success = hub.register("machines.*.*", for: connection.key()) else {
        Issue.record("register failed")
        return
      }
    }
    let slow = try Harness(queue: stalled.queue)
    let fast = try Harness(queue: reading.queue)
    slow.channel.isWritable = false
    var received = 0
    for body in 0..<5 {
      let events = (0..<3).map { #"{"Type":"machines","Action":"save","Key":"m\#(body)-\#($0)"}"# }
      #expect(try hub.publish(body: ByteBuffer(string: events.joined(separator: "\n"))) == 3)
      slow.run()
      fast.run()
      received += try fast.written().count
    }
    #expect(received == 15)
    // The first body went out before the channel reported that it could take no more.
    #expect(try slow.written().count == 3)
    #expect(stalled.queue.closeReason == .slowConsumer)
    #expect(slow.finished.value == .some(.slowConsumer))
    #expect(fast.finished.value == nil, "the reading connection stays open")
    #expect(hub.metricsExposition().contains("winnow_hub_slow_consumer_disconnects_total 1"))
  }

  @Test func closingWritesWhatWasQueuedThenFinishesWithTheReason() throws {
    let harness = try Harness()
    harness.queue.enqueue(Self.event("e1"))
    harness.queue.enqueue(Self.message("ack"))
    harness.queue.close(.goingAway)
    #expect(harness.finished.value == nil)
    harness.run()
    #expect(try harness.written() == ["e1", "ack"])
    #expect(harness.finished.value == .some(.goingAway))
    #expect(!harness.queue.requestsDrains, "the finished handler is no longer held by its queue")
  }

  @Test func aClosingQueueIsDrainedEvenWhileUnwritable() throws {
    let harness = try Harness()
    harness.channel.isWritable = false
    harness.queue.enqueue(Self.event("e1"))
    harness.run()
    harness.queue.enqueue(Self.event("e2"))
    harness.run()
    #expect(try harness.written() == ["e1"])
    harness.queue.close(.goingAway)
    harness.run()
    #expect(try harness.written() == ["e2"])
    #expect(harness.finished.value == .some(.goingAway))
  }

  @Test func aChannelClosedFirstFinishesWithoutAReason() throws {
    let harness = try Harness()
    harness.queue.enqueue(Self.event("e1"))
    try harness.channel.close().wait()
    harness.run()
    #expect(harness.finished.value == .some(nil))
    #expect(!harness.queue.requestsDrains, "the finished handler is no longer held by its queue")
    // Later items are not written to the closed channel, nor do they request drains.
    harness.queue.enqueue(Self.event("e2"))
    #expect(!harness.queue.drainPending)
    harness.run()
    #expect(harness.finished.value == .some(nil))
  }
}
