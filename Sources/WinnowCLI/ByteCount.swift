import ArgumentParser
import Winnow

/// A number of bytes given on the command line: digits, optionally followed by `K`, `M` or `G`
/// (KiB, MiB, GiB), as in `--max-line-bytes 256M`.
struct ByteCount: ExpressibleByArgument, CustomStringConvertible {
  let value: Int

  init(_ value: Int) { self.value = value }

  init?(argument: String) {
    var digits = Substring(argument)
    var unit = 1
    switch digits.last {
    case "K", "k": unit = 1 << 10
    case "M", "m": unit = 1 << 20
    case "G", "g": unit = 1 << 30
    default: break
    }
    if unit != 1 { digits = digits.dropLast() }
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let number = Int(digits), number >= 0
    else { return nil }
    let (product, overflow) = number.multipliedReportingOverflow(by: unit)
    guard !overflow, product < Int.max else { return nil }
    value = product
  }

  /// The count in the largest unit that divides it (`64M`).
  var description: String {
    for (unit, suffix) in [(1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
    where value >= unit && value % unit == 0 {
      return "\(value / unit)\(suffix)"
    }
    return "\(value)"
  }

  /// The default line and document limit, 64 MiB.
  static let defaultLineLimit = ByteCount(JSONLimits.defaultMaxLineBytes)
}
