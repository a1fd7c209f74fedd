import ArgumentParser
import Winnow

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `winnow match`: writes the NDJSON events that a specifier (or any of several) matches.
struct MatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "match",
    abstract: "Write the NDJSON events that match an event specifier.",
    usage: """
      winnow match [<options>] [--] <specifier> [<file> ...]
      winnow match [<options>] -f <specifier-file> [--] [<file> ...]
      winnow match [<options>] --filter <filter> [--] [<file> ...]
      """,
    discussion: """
      Reads NDJSON events (one JSON object per line) from the FILEs, or from standard input \
      when there is none or a FILE is '-', and writes each event a specifier matches, byte for \
      byte as read (a trailing CR kept), followed by LF. Empty and whitespace-only lines are \
      skipped. A line that is not an event is reported on standard error as \
      'FILE:LINE: error: MESSAGE (column C)' (FILE is '<stdin>' for standard input; lines \
      count from 1 in each file) and skipped; the run goes on.

      A specifier is type.action.key[.filter]: each of type, action and key is '*' or a \
      comma-separated list of values (\\1 is '.', \\2 is ',', \\3 is '*'); the type entries \
      machine_jobs and work_order_jobs select the jobs of the machines or work orders named by \
      the key. With -f, specifiers are read from SPECIFIER-FILE, one per line: spaces, tabs and \
      CRs around a specifier are dropped, blank lines and lines whose first non-blank \
      character is '#' are ignored (SPECIFIER-FILE '-' is standard input); -f may be repeated, and an event is written once however many specifiers match it. \
      --filter FILTER (repeatable) is short for the specifier *.*.*.FILTER.

      --stats prints, on standard error, how every line was accounted for: lines read = \
      matched + not matched + blank + skipped as errors; and how many regex matches gave up at \
      the engine's limit (counted as no match; also noted when --stats is not given). When \
      standard error is a terminal and an input is a regular file over 64 MiB, a progress \
      line shows the bytes read (not when matches are written to the same terminal). Matches \
      are written in large blocks, or line by line when standard output is a terminal or \
      with --line-buffered. Memory stays constant whatever the input size.

      A line longer than --max-line-bytes (default 64M; K, M and G suffixes are KiB, MiB and \
      GiB) is reported when its limit is passed, counted as an error and skipped to its LF \
      without being kept; the limit applies to SPECIFIER-FILE lines too. An input whose \
      over-long line runs on for more than 1 GiB past the limit without an LF (/dev/zero) is \
      given up as endless: reported, and the run goes on with the next input.

      Examples:
        winnow match 'machines.save.*.Stage=Changed(,"complete")' events.ndjson
        winnow match "machines,machine_jobs.*.$MACHINE_UUID" events.ndjson
        winnow match --count 'jobs.*.*' events.ndjson
        winnow match -f subscriptions.txt --stats events.ndjson
        tail -f events.ndjson | winnow match --line-buffered 'jobs.*.*'
        winnow match --filter 'Object.Stage=Eq("complete")' events.ndjson

      Exit status: 0 when any event matched, 1 when none did, 2 on an invalid specifier, a \
      file that cannot be opened or read, or a line that is not an event (the run still \
      finishes; the status is given at the end).
      """
  )

  @Option(
    name: .customShort("f"),
    help: ArgumentHelp("Read specifiers from this file, one per line.", valueName: "specifier-file")
  )
  var specifierFiles: [String] = []

  @Option(
    name: .customLong("filter"),
    help: ArgumentHelp(
      "Match events the filter holds for (the specifier *.*.*.FILTER).", valueName: "filter"))
  var filters: [String] = []

  @Flag(help: "Print only the number of matching events.")
  var count = false

  @Flag(help: "Print line counts and regex limit hits on standard error at the end.")
  var stats = false

  @Flag(help: "Write each match at once (the default when standard output is a terminal).")
  var lineBuffered = false

  @Flag(
    help: ArgumentHelp(
      "Read regular files instead of mapping them.",
      discussion:
        "Mapping saves a copy. A mapped file that shrinks while it is read ends the run with an error."
    ))
  var noMmap = false

  @Option(
    name: .customLong("max-line-bytes"),
    help: ArgumentHelp(
      "Report and skip lines longer than this (K, M, G suffixes).", valueName: "bytes"))
  var maxLineBytes = ByteCount.defaultLineLimit

  @Argument(
    help: ArgumentHelp(
      "The specifier (unless -f or --filter is given), then NDJSON files ('-' is standard input).",
      valueName: "specifier-and-files"))
  var arguments: [String] = []

  func validate() throws {
    if specifierFiles.isEmpty && filters.isEmpty && arguments.isEmpty {
      throw ValidationError("Give a specifier, -f SPECIFIER-FILE or --filter FILTER.")
    }
  }

  func run() throws {
    var files = arguments
    let specifiers = try readSpecifiers(positional: &files)
    let inputs = (files.isEmpty ? ["-"] : files).map(InputFile.init(path:))
    if specifierFiles.contains("-") && inputs.contains(where: \.isStandardInput) {
      Console.complain("standard input cannot hold both specifiers (-f -) and events")
      throw ExitStatus.failure
    }

    let filter = NDJSONEventFilter(
      specifiers: specifiers, limits: JSONLimits(maxLineBytes: maxLineBytes.value))
    let output = OutputBuffer(fd: 1)
    let flush: NDJSONEventFilter.FlushPolicy =
      !count && (lineBuffered || Console.stdoutIsTerminal) ? .eachLine : .block
    var failed = false
    for input in inputs {
      failed = !scan(input, filter: filter, output: count ? nil : output, flush: flush) || failed
      if output.failed { break }
    }
    if count { output.append("\(filter.statistics.matched)\n") }
    output.flush()
    if output.failed {
      Console.complain("error writing standard output")
      failed = true
    }

    if stats { printStatistics(filter) }
    reportRegexLimitHits(filter.regexLimitHits)
    if failed || filter.statistics.errors > 0 { throw ExitStatus.failure }
    if filter.statistics.matched == 0 { throw ExitStatus.noMatch }
  }

  // MARK: - Specifiers

  /// The specifiers to match: from -f files and --filter options (`*.*.*.FILTER`, built without
  /// reparsing), or else the first positional argument, which is removed from `files`.
  ///
  /// Prints every error found and ends with status 2 if there was one.
  private func readSpecifiers(positional files: inout [String]) throws(ExitStatus)
    -> [EventSpecifier]
  {
    var specifiers: [EventSpecifier] = []
    var valid = true
    if specifierFiles.isEmpty && filters.isEmpty {
      let text = files.removeFirst()
      do throws(Diagnostic) {
        specifiers.append(try EventSpecifier(parsing: text))
      } catch {
        Console.report(error, in: SourceText(text), name: "specifier")
        MisplacedText.noteIfFilter(text)
        valid = false
      }
    }
    for path in specifierFiles {
      valid =
        SpecifierFile.read(InputFile(path: path), maxLineBytes: maxLineBytes.value) {
          bytes throws(Diagnostic) in
          specifiers.append(try EventSpecifier(parsingUTF8: bytes))
        } && valid
    }
    for text in filters {
      do throws(Diagnostic) {
        specifiers.append(EventSpecifier(filter: try Filter(parsing: text)))
      } catch {
        Console.report(error, in: SourceText(text), name: "filter")
        MisplacedText.noteIfSpecifier(
          text, instead: "give it without --filter (winnow match SPECIFIER)")
        valid = false
      }
    }
    guard valid else { throw .failure }
    if specifiers.isEmpty {
      // Only -f files were given, and they hold blank lines and comments only.
      let names = specifierFiles.map { InputFile(path: $0).displayName }.joined(separator: ", ")
      Console.complain(
        "no specifiers in \(names) (blank lines and '#' comments only); nothing could match")
      throw .failure
    }
    return specifiers  // the matcher counts duplicates (by canonical form) once
  }

  // MARK: - Streaming

  /// Filters one input; returns false when it could not be opened or read to the end.
  private func scan(
    _ input: InputFile, filter: NDJSONEventFilter, output: OutputBuffer?,
    flush: NDJSONEventFilter.FlushPolicy
  ) -> Bool {
    let fd: Int32
    do {
      fd = try input.openDescriptor()
    } catch {
      Console.complain(error.message)
      return false
    }
    defer { if !input.isStandardInput { closeDescriptor(fd) } }

    let showProgress = Console.stderrIsTerminal && (output == nil || !Console.stdoutIsTerminal)
    if showProgress, let size = InputFile.regularFileSize(fd), size > Progress.threshold {
      Progress.current = Progress(name: input.displayName, total: size)
    }
    defer {
      Progress.current?.clear()
      Progress.current = nil
    }

    let name = input.displayName
    let progress = Progress.current.map { progress in
      { (bytesRead: Int) in progress.update(bytesRead: bytesRead) }
    }
    do {
      try filter.run(
        LineReader(fd: fd, options: filter.readerOptions), output: output, flush: flush,
        parallel: ParallelOptions(workers: Self.workerThreads, mapsFiles: !noMmap),
        progress: progress
      ) { error in
        Console.report(
          LocatedDiagnostic(
            error.diagnostic, inBytes: error.line, name: name, firstLine: error.lineNumber,
            layout: .columnLast))
      }
    } catch {
      Console.complain("\(name): \(error.message)")
      return false
    }
    return true
  }

  /// The threads that filter blocks of lines when matches are written in blocks (or counted):
  /// one per core (at most 8), or `WINNOW_THREADS` (1 filters on the reading thread alone).
  static let workerThreads: Int = {
    if let text = getenv("WINNOW_THREADS"), let value = Int(String(cString: text)), value > 0 {
      return min(value, 64)  // memory: two 1 MiB blocks per worker
    }
    return ParallelOptions.defaultWorkers
  }()

  private func printStatistics(_ filter: NDJSONEventFilter) {
    let s = filter.statistics
    let rows: [(String, Int)] = [
      ("lines read", s.lines), ("matched", s.matched), ("not matched", s.notMatched),
      ("blank", s.blank), ("skipped as errors", s.errors),
      ("regex limit hits", filter.regexLimitHits),
    ]
    let width = rows.map { "\($0.1)".count }.max() ?? 1
    var text = ""
    for (label, value) in rows {
      let number = "\(value)"
      text +=
        label + String(repeating: " ", count: 18 - label.count)
        + String(repeating: " ", count: width - number.count) + number + "\n"
    }
    Console.error(text)
  }
}
