#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How `winnow` ends, as grep does: 0 something matched (or every input was valid, or the filter
/// held), 1 nothing matched (or the filter did not hold), 2 an error of any kind, usage errors
/// included.
///
/// Commands throw a status other than success; ``WinnowCommand/main()`` turns it into the
/// process's exit code without printing anything more.
struct ExitStatus: Error, Equatable {
  let code: Int32

  /// Something matched, every input was valid, or the filter held.
  static let success = ExitStatus(code: 0)
  /// Nothing matched, or the filter did not hold.
  static let noMatch = ExitStatus(code: 1)
  /// An error: invalid filter or specifier, unreadable file or line, usage error.
  static let failure = ExitStatus(code: 2)

  /// Ends the process with this status (standard output is flushed first).
  func terminate() -> Never { exit(code) }
}
