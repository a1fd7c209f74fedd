#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An input named on the command line: a path, or `-` for standard input.
struct InputFile {
  /// The path as given, or `-`.
  let path: String

  /// Whether this is standard input.
  var isStandardInput: Bool { path == "-" }

  /// The name used in messages: the path, or `<stdin>`.
  var displayName: String { isStandardInput ? "<stdin>" : path }

  /// Why an input could not be opened or read, with the system's description.
  struct Failure: Error {
    let message: String
  }

  /// Opens the input for reading and returns its descriptor (0 for standard input).
  func openDescriptor() throws(Failure) -> Int32 {
    if isStandardInput { return 0 }
    while true {
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      if fd >= 0 { return fd }
      if errno == EINTR { continue }
      throw Failure(message: "\(path): \(String(cString: strerror(errno)))")
    }
  }

  /// The size of the input when it is a regular file, else nil (pipes, terminals).
  static func regularFileSize(_ fd: Int32) -> Int? {
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(info.st_size)
  }

  /// Reads the input into memory (for single documents), but never more than `limit` + 1
  /// bytes: a result longer than `limit` means the input is too.
  func contents(upTo limit: Int) throws(Failure) -> [UInt8] {
    let fd = try openDescriptor()
    defer { if !isStandardInput { close(fd) } }
    let wanted = limit + 1
    var bytes: [UInt8] = []
    var capacity = min(wanted, InputFile.regularFileSize(fd).map { $0 + 1 } ?? (1 << 16))
    while true {
      // Read into the free capacity of a new array holding what was read so far (the array is
      // grown by doubling, and never copied once more at the end).
      var failure: Int32 = 0
      var ended = false
      let previous = bytes
      bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
        count = previous.count
        if count > 0 { buffer.baseAddress!.update(from: previous, count: count) }
        while count < capacity {
          let n = read(fd, buffer.baseAddress! + count, capacity - count)
          if n > 0 {
            count += n
          } else if n == 0 {
            ended = true
            return
          } else if errno != EINTR {
            failure = errno
            return
          }
        }
      }
      if failure != 0 {
        throw Failure(message: "\(displayName): \(String(cString: strerror(failure)))")
      }
      if ended || bytes.count >= wanted { return bytes }
      // Straight to the limit when the next doubling would pass it: the largest array is then
      // never copied once more for the last few bytes.
      capacity = capacity > wanted / 4 ? wanted : capacity * 2
    }
  }
}

/// Closes a descriptor opened by ``InputFile/openDescriptor()``.
@discardableResult
func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
