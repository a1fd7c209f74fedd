import NIOCore
import NIOWebSocket

/// Writes a connection's queued items onto its websocket channel in batches: every item taken
/// from the queue at once is written on the event loop in one go and flushed once, and the
/// writer waits for that flush (so a client that stops reading holds the writer, and the queue
/// behind it fills up to the slow-consumer limit, as with one write at a time).
///
/// An event framed by the hub (``FramedEvent``) is written as its shared, already serialized
/// frame below the pipeline's frame encoder; anything else (acknowledgements, replies) goes
/// through the encoder as a text frame. Both stay in queue order: they are written on the event
/// loop in one synchronous pass.
struct FrameBatchWriter: Sendable {
  let channel: any Channel
  /// The frame encoder's context, looked up on the first batch (on the event loop).
  private let encoder: NIOLoopBoundBox<ChannelHandlerContext?>

  init(channel: any Channel) {
    self.channel = channel
    encoder = .makeEmptyBox(valueType: ChannelHandlerContext.self, eventLoop: channel.eventLoop)
  }

  /// Writes `items` in order and flushes once; returns when the flush is done.
  ///
  /// Throws when the channel cannot be written to (it is closed).
  func write(_ items: [Outbound]) async throws {
    guard !items.isEmpty else { return }
    let promise = channel.eventLoop.makePromise(of: Void.self)
    let channel = self.channel
    let encoder = self.encoder
    channel.eventLoop.execute {
      if encoder.value == nil {
        encoder.value = try? channel.pipeline.syncOperations.context(
          handlerType: WebSocketFrameEncoder.self)
      }
      Self.writeOnLoop(items, channel: channel, encoder: encoder.value, promise: promise)
    }
    try await promise.futureResult.get()
  }

  private static func writeOnLoop(
    _ items: [Outbound], channel: any Channel, encoder: ChannelHandlerContext?,
    promise: EventLoopPromise<Void>
  ) {
    // Below the encoder: raw frames. Without an encoder (not expected), every item is encoded.
    for (index, item) in items.enumerated() {
      let last = index == items.count - 1
      let bytes: ByteBuffer
      switch item {
      case .event(let event, _):
        if let encoder, let frame = FramedEvent.wholeFrame(of: event) {
          encoder.write(NIOAny(frame), promise: last ? promise : nil)
          continue
        }
        bytes = event
      case .message(let message):
        bytes = message
      }
      channel.write(
        WebSocketFrame(fin: true, opcode: .text, data: bytes), promise: last ? promise : nil)
    }
    channel.flush()
  }
}
