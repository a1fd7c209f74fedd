import ArgumentParser
import Winnow

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `winnow`: the root command, which only dispatches to its subcommands.
@main
struct WinnowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "winnow",
    abstract: "Filter JSON event streams with Digital Rebar Provision's event filter language.",
    discussion: """
      A filter tests fields of a JSON document: Object.Stage=Eq("complete"), \
      And(Type=Eq("machines"),Object.Stage=Changed()). An event specifier selects DRP \
      events by type.action.key and an optional filter: machines.save.*.Stage=Changed(). \
      The language is described in Grammar/README.md.

      Examples:
        winnow check 'And(Type=Eq("machines"),Object.Stage=Changed())'
        winnow eval --event 'Object.Stage=Eq("complete")' event.json
        winnow match 'machines.save.*.Stage=Changed(,"complete")' events.ndjson
        winnow explain --event event.json 'Stage=Changed(,"complete")'

      Exit status, as grep's: 0 something matched (or all input was valid), 1 nothing matched, \
      2 an error of any kind, usage errors included. After '--' no argument is an option, so a \
      filter may start with '-'.
      """,
    version: "\(Winnow.version) (commit \(buildCommit))",
    subcommands: fileCommands + networkCommands
  )

  /// The commands that read files and standard input.
  static let fileCommands: [any ParsableCommand.Type] = [
    CheckCommand.self, EvalCommand.self, MatchCommand.self, ExplainCommand.self,
  ]

  /// The hub and its client, built with the `Hub` package trait (on by default); without it
  /// `winnow` is the file-filtering tool alone and builds none of the network stack.
  #if Hub
    static let networkCommands: [any ParsableCommand.Type] = [ServeCommand.self, WatchCommand.self]
  #else
    static let networkCommands: [any ParsableCommand.Type] = []
  #endif

  /// Runs the command line; every error, usage errors included, ends with status 2.
  ///
  /// Argument parser's own `main()` exits with 64 on usage errors; grep's convention (and
  /// SPEC section 8) is 2 for every error.
  static func main() {
    let status: ExitStatus
    if CommandLine.arguments.count == 1 {
      // No subcommand is a usage error, as grep without a pattern: the help on standard error.
      Console.error(helpMessage() + "\n")
      ExitStatus.failure.terminate()
    }
    rejectUnknownCommand(CommandLine.arguments[1])
    do {
      var command = try parseAsRoot()
      try command.run()
      status = .success
    } catch let thrown as ExitStatus {
      status = thrown
    } catch {
      let message = fullMessage(for: error)
      if exitCode(for: error) == .success {
        // --help and --version: the requested text on standard output.
        print(message)
        status = .success
      } else {
        if !message.isEmpty { Console.error(message + "\n") }
        status = .failure
      }
    }
    status.terminate()
  }

  /// Ends with status 2 and a suggestion when `word`, the first argument, is neither an option
  /// nor a command (`winnow mtach` → did you mean 'match'?).
  static func rejectUnknownCommand(_ word: String) {
    let names = configuration.subcommands.compactMap { $0.configuration.commandName }
    guard !word.hasPrefix("-"), !names.contains(word), word != "help" else { return }
    let hint = Suggestion.closest(to: word, among: names).map { "; did you mean '\($0)'?" } ?? ""
    Console.complain(
      "unknown command '\(word)'\(hint) (the commands are \(names.joined(separator: ", ")); "
        + "see 'winnow --help')")
    ExitStatus.failure.terminate()
  }
}
