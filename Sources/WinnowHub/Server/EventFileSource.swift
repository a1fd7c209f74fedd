import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Winnow

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `--events FILE|-` (`--follow`): publishes the NDJSON events of a file or of standard input.
///
/// Each non-blank line is checked and published in order; a line that is not an event is
/// reported (`FILE:LINE: MESSAGE`) on the logger, counted in `/metrics` and skipped. With
/// `follow`, reading goes on at the end of the file as it grows (as `tail -f`), until shutdown.
/// Reading blocks one thread of NIO's blocking pool, never the hub's event loops.
public struct EventFileSource: Service {
  /// The file read, `-` for standard input.
  public let path: String
  /// Whether reading goes on as the file grows (`--follow`).
  public let follow: Bool
  let hub: EventHub
  let logger: Logger
  /// How long to wait at the end of a followed file before reading again.
  let pollInterval: Duration

  /// A source publishing the events of `path` into `hub`, logging bad lines on `logger`.
  public init(
    path: String, follow: Bool, hub: EventHub, logger: Logger,
    pollInterval: Duration = .milliseconds(100)
  ) {
    self.path = path
    self.follow = follow
    self.hub = hub
    self.logger = logger
    self.pollInterval = pollInterval
  }

  /// Opens the file (standard input for `-`); throws a readable error.
  public static func open(_ path: String) throws -> Int32 {
    if path == "-" { return 0 }
    let fd = Glibc.open(path, O_RDONLY)
    guard fd >= 0 else {
      throw HubServerError("cannot open --events \(path): \(String(cString: strerror(errno)))")
    }
    return fd
  }

  /// Reads and publishes until the end of the file (or, following, until shutdown).
  public func run() async throws {
    let fd = try Self.open(path)
    let stop = StopFlag()
    try await withGracefulShutdownHandler {
      try await NIOThreadPool.singleton.runIfActive { self.read(fd, stop: stop) }
    } onGracefulShutdown: {
      stop.set()
    }
    if fd != 0 { close(fd) }
  }

  /// Reads `fd` to its end (and on, when following), publishing each event.
  func read(_ fd: Int32, stop: StopFlag) {
    let validator = EventValidator(limits: hub.configuration.eventLimits)
    var pending: [UInt8] = []
    var lineNumber = 0
    var block = [UInt8](repeating: 0, count: 1 << 16)
    let name = path == "-" ? "<stdin>" : path
    func publish(_ line: ArraySlice<UInt8>) {
      lineNumber += 1
      let event = EventBatch.trimmed(ByteBuffer(bytes: line))
      guard event.readableBytes > 0 else { return }
      do {
        try validator.validate(event)
        hub.accept(event)
      } catch {
        hub.metrics.eventsRejected.increment()
        logger.warning("\(name):\(lineNumber): \(error.message) (column \(error.offset + 1))")
      }
    }
    while !stop.isSet {
      let count = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        logger.error("cannot read --events \(name): \(String(cString: strerror(errno)))")
        return
      }
      if count == 0 {
        guard follow, fd != 0 else { break }
        usleep(
          UInt32(pollInterval.components.attoseconds / 1_000_000_000_000)
            + UInt32(pollInterval.components.seconds * 1_000_000))
        continue
      }
      pending.append(contentsOf: block[..<count])
      var start = 0
      while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
        publish(pending[start..<newline])
        start = newline + 1
      }
      pending.removeFirst(start)
    }
    // A last line without a newline (not when stopped while following: it may be incomplete).
    if !pending.isEmpty, !stop.isSet { publish(pending[...]) }
  }
}

/// A flag set once, from any thread.
final class StopFlag: Sendable {
  private let value = Atomic<Bool>(false)
  func set() { value.store(true, ordering: .relaxed) }
  var isSet: Bool { value.load(ordering: .relaxed) }
}
