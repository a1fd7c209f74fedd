#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The C library's `open` and `pipe` under a name that test helpers of the same name do not
/// shadow, on Linux (Glibc, Musl) and Apple platforms alike.
enum POSIX {
  /// Opens `path` with `flags`; returns the descriptor, or -1 with `errno` set.
  static func open(_ path: String, _ flags: Int32) -> Int32 {
    #if canImport(Glibc)
      Glibc.open(path, flags)
    #elseif canImport(Musl)
      Musl.open(path, flags)
    #else
      Darwin.open(path, flags)
    #endif
  }

  /// Creates a pipe: `fds[0]` reads what `fds[1]` writes.
  ///
  /// Returns 0, or -1 with `errno` set.
  static func pipe(_ fds: inout [Int32]) -> Int32 {
    #if canImport(Glibc)
      Glibc.pipe(&fds)
    #elseif canImport(Musl)
      Musl.pipe(&fds)
    #else
      Darwin.pipe(&fds)
    #endif
  }
}
