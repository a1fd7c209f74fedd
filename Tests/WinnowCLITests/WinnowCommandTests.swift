import Foundation
import Testing

@Suite struct WinnowCommandTests {
  @Test func version() throws {
    let run = try Winnow.run(["--version"])
    #expect(run.status == 0)
    // "0.1.0 (commit 578779fd1a2b)": the commit comes from the BuildCommit plugin, which says
    // `unknown` outside a git checkout and adds `-dirty` when tracked files were changed.
    let shape = #/\d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)\n/#
    #expect(run.stdout.wholeMatch(of: shape) != nil, "\(run)")
  }

  @Test(arguments: [[], ["check"], ["eval"], ["match"], ["explain"]])
  func helpShowsExamples(_ subcommand: [String]) throws {
    let run = try Winnow.run(subcommand + ["--help"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("Example"), "\(run)")
    #expect(run.stdout.contains("Exit status"))
  }

  @Test(arguments: [
    [], ["frobnicate"], ["check"], ["check", "--format", "xml", "a=Exists()"], ["eval"],
    ["eval", "a=Exists()", "f", "extra"], ["explain"], ["match", "--stats"], ["--bogus"],
  ])
  func usageErrorsExitWithTwo(_ arguments: [String]) throws {
    let run = try Winnow.run(arguments)
    #expect(run.status == 2, "\(arguments): \(run)")
    #expect(run.stdout.isEmpty)
    #expect(!run.stderr.isEmpty)
  }
}
