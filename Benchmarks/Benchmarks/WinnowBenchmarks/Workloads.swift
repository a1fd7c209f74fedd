import Benchmark
import EventFixtures
import Winnow

/// The filters of `shared/peers/workloads.md` (W1–W6), plus one longer filter of a typical
/// hand-written size, as DRP filter text.
enum Workloads {
  struct Workload: Sendable {
    let name: String
    let filter: String
  }

  static let w1 = Workload(name: "W1", filter: #"Type=Eq("machines")"#)
  static let w2 = Workload(name: "W2", filter: #"Object.Stage=Eq("discover")"#)
  static let w3 = Workload(
    name: "W3",
    filter: #"And(Type=In("machines","jobs"),Object.Runnable=Eq(true),Object.Params.bar=Exists())"#)
  static let w4 = Workload(name: "W4", filter: #"Object.Name=Re("^node-[0-9]+\\.lab$")"#)
  static let w5 = Workload(
    name: "W5", filter: #"Or(Not(Action=Nin("save","update")),Object.WorkflowComplete=Eq(true))"#)
  static let w6 = Workload(name: "W6", filter: #"Stage=Changed(,"complete")"#)

  /// The six workloads, in order.
  static let all = [w1, w2, w3, w4, w5, w6]

  /// A typical hand-written filter of about 150 bytes (154): nesting, lists, a negation and a
  /// `Changed`, no regex.
  static let typical150 = Workload(
    name: "typical150",
    filter:
      #"And(Type=In("machines","jobs"),Or(Object.Stage=In("discover","sledgehammer"),Object.Name=Eq("node-1.lab")),Not(Object.Runnable=Eq(false)),Stage=Changed())"#
  )

  /// The same size (142 bytes) with a regex in place of a list: `Filter(parsing:)` checks the
  /// RE2 pattern and compiles it with PCRE2 (and its JIT), so this one measures that as well.
  static let typical150re = Workload(
    name: "typical150re",
    filter:
      #"And(Type=In("machines","jobs"),Or(Object.Stage=Eq("discover"),Object.Name=Re("^node-[0-9]+$")),Not(Object.Runnable=Eq(false)),Stage=Changed())"#
  )

  /// What the parse and compile suites run: the workloads and the typical filter.
  static let parseSet = all + [typical150, typical150re]

  /// The filter of a workload, compiled.
  static func compiled(_ workload: Workload) -> CompiledFilter {
    try! Filter(parsing: workload.filter).compiled()
  }
}
