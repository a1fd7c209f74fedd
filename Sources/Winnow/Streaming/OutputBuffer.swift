#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Collects output bytes and writes them to a file descriptor in large blocks.
package final class OutputBuffer {
  private let fd: Int32
  private let buffer: UnsafeMutablePointer<UInt8>
  private let capacity: Int
  private var count = 0
  /// Set when a write failed (for example a closed pipe); later output is dropped.
  package private(set) var failed = false

  package init(fd: Int32, capacity: Int = 1 << 20) {
    self.fd = fd
    self.capacity = capacity
    buffer = .allocate(capacity: capacity)
  }

  deinit {
    flush()
    buffer.deallocate()
  }

  /// Appends `bytes` and then `terminator`.
  @inline(__always)
  package func append(_ bytes: UnsafeBufferPointer<UInt8>, terminator: UInt8) {
    if count + bytes.count + 1 > capacity {
      flush()
      if bytes.count + 1 > capacity {
        writeAll(bytes.baseAddress!, bytes.count)
        buffer[0] = terminator
        count = 1
        return
      }
    }
    if bytes.count > 0 { (buffer + count).update(from: bytes.baseAddress!, count: bytes.count) }
    count += bytes.count
    buffer[count] = terminator
    count += 1
  }

  /// Appends text.
  package func append(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      if count + bytes.count > capacity { flush() }
      if bytes.count > capacity {
        writeAll(bytes.baseAddress!, bytes.count)
      } else if bytes.count > 0 {
        (buffer + count).update(from: bytes.baseAddress!, count: bytes.count)
        count += bytes.count
      }
    }
  }

  /// Writes everything collected so far.
  package func flush() {
    if count > 0 { writeAll(buffer, count) }
    count = 0
  }

  private func writeAll(_ p: UnsafePointer<UInt8>, _ n: Int) {
    guard !failed else { return }
    var done = 0
    while done < n {
      let written = write(fd, p + done, n - done)
      if written < 0 {
        if errno == EINTR { continue }
        failed = true
        return
      }
      done += written
    }
  }
}
