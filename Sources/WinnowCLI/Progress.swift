#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A progress line on standard error while a large regular file is read: the bytes read and the
/// percentage, redrawn at most four times a second and erased when done.
///
/// Shown only when standard error is a terminal (see ``MatchCommand``); anything else written to
/// standard error erases it first (``Console/complain(_:)``).
final class Progress {
  /// The progress line on screen, if any; errors erase it before they are printed.
  nonisolated(unsafe) static var current: Progress?

  /// Files smaller than this finish too quickly for a progress line to help.
  static let threshold = 64 << 20

  private let name: String
  private let total: Int
  private var lastDraw = 0.0
  private var visible = false

  init(name: String, total: Int) {
    self.name = name
    self.total = total
    lastDraw = Progress.seconds()  // the first line appears after a quarter of a second
  }

  /// Redraws the line if a quarter of a second has passed since the last time.
  func update(bytesRead: Int) {
    let now = Progress.seconds()
    guard now - lastDraw >= 0.25 else { return }
    lastDraw = now
    let percent = total > 0 ? min(100, bytesRead * 100 / total) : 100
    Console.error(
      "\r\u{1B}[K\(name): \(Progress.size(bytesRead)) of \(Progress.size(total)) (\(percent)%)")
    visible = true
  }

  /// Erases the line.
  func clear() {
    guard visible else { return }
    Console.error("\r\u{1B}[K")
    visible = false
  }

  private static func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  /// A byte count in MiB or GiB with one decimal.
  static func size(_ bytes: Int) -> String {
    let mib = Double(bytes) / 1_048_576
    let (value, unit) = mib >= 1024 ? (mib / 1024, "GiB") : (mib, "MiB")
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(unit)"
  }
}
