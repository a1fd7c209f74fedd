import Synchronization

/// The watches of one connection as hub subscriber streams: each watch id gets its own stream
/// number (so the hub delivers an event once per watch), and a watch receives events only from
/// the moment its reply has been written, so that no event reaches a client before the id it
/// belongs to.
///
/// The reader registers and activates; the writer looks streams up and counts what it wrote.
final class WatchStreams: Sendable {
  private struct State {
    var nextStream: UInt32 = 1
    var ids: [UInt32: String] = [:]
    var streams: [String: UInt32] = [:]
    /// Streams whose reply is queued but not yet written: activated once the writer has
    /// written `messagesQueued` messages as recorded here.
    var pending: [(stream: UInt32, afterMessages: Int)] = []
    var active: Set<UInt32> = []
    var messagesQueued = 0
    var messagesWritten = 0
  }
  private let state = Mutex(State())

  /// A new stream for `watchID`, not delivering until activated.
  func add(_ watchID: String) -> UInt32 {
    state.withLock { state in
      let stream = state.nextStream
      state.nextStream &+= 1
      state.ids[stream] = watchID
      state.streams[watchID] = stream
      return stream
    }
  }

  /// Forgets `watchID`; returns its stream.
  func remove(_ watchID: String) -> UInt32? {
    state.withLock { state in
      guard let stream = state.streams.removeValue(forKey: watchID) else { return nil }
      state.ids[stream] = nil
      state.active.remove(stream)
      return stream
    }
  }

  /// Counts one message queued for the client; when `activating` is given, that stream starts
  /// delivering once the writer has written this message.
  func queuedMessage(activating stream: UInt32? = nil) {
    state.withLock { state in
      state.messagesQueued += 1
      if let stream { state.pending.append((stream, state.messagesQueued)) }
    }
  }

  /// Counts one message written by the writer, activating the streams waiting for it.
  func wroteMessage() {
    state.withLock { state in
      state.messagesWritten += 1
      while let first = state.pending.first, first.afterMessages <= state.messagesWritten {
        state.pending.removeFirst()
        if state.ids[first.stream] != nil { state.active.insert(first.stream) }
      }
    }
  }

  /// The watch id an event on `stream` is for, or nil when it is not delivering (removed, or
  /// its reply not yet written).
  func deliveringWatch(_ stream: UInt32) -> String? {
    state.withLock { state in
      state.active.contains(stream) ? state.ids[stream] : nil
    }
  }
}
