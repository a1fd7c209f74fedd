import NIOCore
import NIOWebSocket

/// Writes a connection's ``DeliveryQueue`` onto its websocket from the channel's event loop, with
/// no task in between: the queue requests a drain when items arrive (through the loop's
/// ``DrainScheduler``), and the drain writes everything queued as text frames and flushes once.
///
/// Items queued before the drain runs join it, so bodies published faster than the loop drains
/// share one write.
///
/// Back-pressure is the channel's writability: when the socket cannot take more after a write,
/// the drain stops and the queue keeps the items (items queued meanwhile request nothing); it
/// resumes when the channel is writable again. A client that stops reading therefore fills the
/// bounded queue, which closes it as a slow consumer, without holding the publisher or other
/// connections. Up to 1 MiB of frames may wait in the channel beyond the queue
/// (``writeBufferWaterMark``), so that a client that reads but lags behind a burst has some room
/// before its queue fills; they are the shared frames, so this costs little memory.
///
/// The handler sits just before the websocket frame encoder: an event framed by the hub
/// (``FramedEvent``) is written as its shared, already serialized frame; anything else
/// (acknowledgements, replies) is framed here. ``finished`` tells when the queue has closed and
/// everything queued before the close is written, so that the front-end's task writes the close
/// frame after it.
final class DeliveryHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private let queue: DeliveryQueue
  private let finished: EventLoopPromise<CloseReason?>
  private var context: ChannelHandlerContext?
  /// The context's channel, looked up once.
  private var channel: (any Channel)?
  /// Taken from the queue, being written (kept for its capacity).
  private var items: [Outbound] = []
  /// The last drain stopped because the channel was not writable.
  private var paused = false
  private var done = false

  private init(queue: DeliveryQueue, finished: EventLoopPromise<CloseReason?>) {
    self.queue = queue
    self.finished = finished
    items.reserveCapacity(64)
  }

  /// Adds a handler writing `queue` to `channel` (on its event loop, just before its websocket
  /// frame encoder) and has the queue request drains through `scheduler`.
  ///
  /// The future succeeds with the reason the queue closed once everything queued before the
  /// close is written, or with nil when the channel closed first (or was closed already).
  static func install(
    on channel: any Channel, queue: DeliveryQueue, scheduler: DrainScheduler
  ) -> EventLoopFuture<CloseReason?> {
    channel.eventLoop.preconditionInEventLoop()
    let finished = channel.eventLoop.makePromise(of: CloseReason?.self)
    guard channel.isActive else {
      finished.succeed(nil)
      return finished.futureResult
    }
    let handler = DeliveryHandler(queue: queue, finished: finished)
    do {
      let pipeline = channel.pipeline.syncOperations
      let encoder = try pipeline.handler(type: WebSocketFrameEncoder.self)
      try pipeline.addHandler(handler, position: .before(encoder))
    } catch {
      finished.succeed(nil)
      return finished.futureResult
    }
    try? channel.syncOptions?.setOption(
      ChannelOptions.writeBufferWaterMark, value: writeBufferWaterMark)
    let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    let drain: @Sendable () -> Void = { bound.value.drain() }
    queue.requestDrains { scheduler.schedule(drain) }
    return finished.futureResult
  }

  /// How many bytes of written frames the channel holds before it stops being writable (and the
  /// drain pauses), and how few before it is writable again.
  ///
  /// NIO's default is 64 KiB.
  static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(
    low: 256 * 1024, high: 1024 * 1024)

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    channel = context.channel
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    finish(nil)
    self.context = nil
    channel = nil
  }

  func channelInactive(context: ChannelHandlerContext) {
    finish(nil)
    context.fireChannelInactive()
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    if paused, context.channel.isWritable {
      paused = false
      drain()
    }
    context.fireChannelWritabilityChanged()
  }

  /// Writes what is queued until the queue is empty (the drain ends), the channel cannot take
  /// more after a write (the drain pauses) or the queue is closed (``finished`` succeeds).
  ///
  /// Writability is checked after each flush only: a drain runs when it was requested (not
  /// paused), when the channel became writable again, or when the queue closed, whose last items
  /// and close frame go out regardless.
  func drain() {
    guard let context, let channel else { return }
    // A write can close the channel (and finish the handler) under the drain.
    while !done {
      switch queue.poll(into: &items, endingDrain: true) {
      case nil:
        return
      case .items:
        // A connection closed as a slow consumer sends nothing more but the close frame.
        if queue.closeReason != .slowConsumer {
          for item in items {
            switch item {
            case .event(let bytes, _), .message(let bytes):
              context.write(wrapOutboundOut(FramedEvent.frame(bytes)), promise: nil)
            }
          }
          context.flush()
        }
        items.removeAll(keepingCapacity: true)
        if !channel.isWritable, queue.closeReason == nil {
          paused = true
          return
        }
      case .closed(let reason):
        finish(reason)
        return
      }
    }
  }

  /// Ends the handler's work: the queue stops requesting drains (its request holds this
  /// handler, which holds the queue) and ``finished`` succeeds with `reason`.
  private func finish(_ reason: CloseReason?) {
    guard !done else { return }
    done = true
    queue.stopRequestingDrains()
    finished.succeed(reason)
  }
}
