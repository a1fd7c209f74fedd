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

  /// Reads the whole input into memory (for single documents and specifier files).
  func readAll() throws(Failure) -> [UInt8] {
    let fd = try openDescriptor()
    defer { if !isStandardInput { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n > 0 {
        bytes.append(contentsOf: chunk[0..<n])
      } else if n == 0 {
        return bytes
      } else if errno != EINTR {
        throw Failure(message: "\(displayName): \(String(cString: strerror(errno)))")
      }
    }
  }
}

/// Closes a descriptor opened by ``InputFile/openDescriptor()``.
@discardableResult
func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
