// Built with the `Hub` package trait (see Package.swift).
#if Hub
  import ArgumentParser
  import Dispatch
  import Synchronization
  import Winnow
  import WinnowHub

  #if canImport(Glibc)
    import Glibc
  #elseif canImport(Darwin)
    import Darwin
  #endif

  /// `winnow watch`: the live events of a DRP endpoint (DRP itself or `winnow serve`) that
  /// match the given specifiers, as NDJSON on standard output (SPEC section 9, the client).
  struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "watch",
      abstract: "Print the live events of a DRP endpoint that match event specifiers.",
      usage: """
        winnow watch [<options>] <url> <specifier> ...
        winnow watch [<options>] -f <specifier-file> <url> [<specifier> ...]
        """,
      discussion: """
        Connects to URL, a DRP endpoint or a winnow hub given as ws://, wss://, http:// or \
        https://HOST:PORT (DRP's base; the path /api/v3/ws may be included), reads \
        /api/v3/info, opens the websocket /api/v3/ws and registers every specifier. A server \
        that advertises websocket-changed-filter is sent each specifier as given; any other \
        server is sent only the type.action.key parts, and the filters are applied here, with \
        the same results. Each delivered event is written to standard output as one line of \
        NDJSON, byte for byte as received, once however many specifiers match it; the \
        acknowledgements of the registrations are not written.

        The token is sent as 'Authorization: Bearer TOKEN': --token, else a token=... \
        parameter in URL, else $RS_TOKEN. With -f, specifiers are read from SPECIFIER-FILE, one \
        per line (blank lines and lines starting with '#' are ignored). Every specifier is \
        checked before connecting.

        A dropped connection is made again after a growing delay (0.25 s doubling to 30 s, \
        with jitter) and registers again; events published meanwhile are not seen. Notes about \
        connections go to standard error (more with --verbose).

        Examples:
          winnow watch --token "$TOKEN" https://drp:8092 'machines.save.*.Stage=Changed()'
          winnow watch ws://127.0.0.1:8092 --count 1 'jobs.create.*'

        Exit status: 0 after --count events, or when interrupted after some events were \
        written; 1 when interrupted before any; 2 on an invalid URL or specifier, a token the \
        server refuses (HTTP 401 or 403), a certificate that cannot be verified, or a \
        registration the server answers with an error.
        """
    )

    @Option(
      name: .customShort("f"),
      help: ArgumentHelp(
        "Read specifiers from this file, one per line.", valueName: "specifier-file")
    )
    var specifierFiles: [String] = []

    @Option(help: ArgumentHelp("The DRP token (default: $RS_TOKEN).", valueName: "token"))
    var token: String?

    @Flag(help: "Accept the server's TLS certificate without verifying it.")
    var insecure = false

    @Option(help: ArgumentHelp("Exit with status 0 after this many events.", valueName: "n"))
    var count: Int?

    @Flag(
      name: .shortAndLong, help: "Also note on standard error each connection and registration.")
    var verbose = false

    @Argument(
      help: ArgumentHelp(
        "The endpoint: ws://, wss://, http:// or https://HOST:PORT.", valueName: "url"))
    var url: String

    @Argument(
      help: ArgumentHelp("Event specifiers: type.action.key[.filter].", valueName: "specifier"))
    var specifiers: [String] = []

    func validate() throws {
      if specifiers.isEmpty && specifierFiles.isEmpty {
        throw ValidationError("Give at least one specifier, or -f SPECIFIER-FILE.")
      }
      if let count, count < 1 {
        throw ValidationError("--count must be at least 1.")
      }
    }

    func run() throws {
      let endpoint: WatchEndpoint
      do {
        endpoint = try WatchEndpoint(parsing: url)
      } catch {
        Console.complain(error.message)
        throw ExitStatus.failure
      }
      let watched = try readSpecifiers()

      var options = WatchOptions(endpoint: endpoint, specifiers: watched, token: token)
      if options.effectiveToken == nil, let environment = getenv("RS_TOKEN") {
        options.token = String(cString: environment)
      }
      options.insecure = insecure
      let client: WatchClient
      do {
        client = try WatchClient(options)
      } catch {
        Console.complain("watch: \(error)")
        throw ExitStatus.failure
      }

      let printer = EventPrinter(limit: count)
      let outcome = WatchOutcome()
      let verbose = verbose
      let task = Task {
        do throws(WatchError) {
          try await client.run(
            notice: { notice in
              switch notice {
              case .connected, .registered: if verbose { Console.complain("watch: \(notice)") }
              default: Console.complain("watch: \(notice)")
              }
            },
            deliver: { printer.print($0.bytes) })
          outcome.finish(nil)
        } catch {
          outcome.finish(error)
        }
      }
      let signals = Self.cancelOnSignals(task, outcome: outcome)
      let error = outcome.wait()
      for signal in signals { signal.cancel() }

      if printer.failed {
        Console.complain("error writing standard output")
        throw ExitStatus.failure
      }
      if let error {
        Console.complain("watch: \(error)")
        throw ExitStatus.failure
      }
      if printer.printed == 0 { throw ExitStatus.noMatch }
    }

    /// The specifiers from the arguments and the -f files, in order; prints every error found
    /// (positioned) and ends with status 2 if there was one.
    private func readSpecifiers() throws(ExitStatus) -> [WatchSpecifier] {
      var result: [WatchSpecifier] = []
      var valid = true
      for path in specifierFiles {
        valid =
          SpecifierFile.read(InputFile(path: path), maxLineBytes: JSONLimits.defaultMaxLineBytes) {
            bytes throws(Diagnostic) in
            result.append(try WatchSpecifier(parsing: String(decoding: bytes, as: UTF8.self)))
          } && valid
      }
      for text in specifiers {
        do throws(Diagnostic) {
          result.append(try WatchSpecifier(parsing: text))
        } catch {
          Console.report(error, in: SourceText(text), name: "specifier")
          valid = false
        }
      }
      guard valid else { throw .failure }
      return result
    }

    /// SIGINT and SIGTERM end the watch: the websocket is closed, and the process exits even if
    /// the close takes longer than two seconds.
    private static func cancelOnSignals(
      _ task: Task<Void, Never>, outcome: WatchOutcome
    ) -> [any DispatchSourceSignal] {
      [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
          task.cancel()
          DispatchQueue.global().asyncAfter(deadline: .now() + 2) { outcome.finish(nil) }
        }
        source.resume()
        return source
      }
    }
  }

  /// Writes delivered events to standard output, one line each, flushed at once; counts them and
  /// asks to stop at the limit.
  private final class EventPrinter: Sendable {
    private struct State {
      let output = OutputBuffer(fd: 1, capacity: 1 << 16)
      var printed = 0
    }

    private let limit: Int?
    private let state = Mutex(State())

    init(limit: Int?) {
      self.limit = limit
    }

    var printed: Int { state.withLock { $0.printed } }
    var failed: Bool { state.withLock { $0.output.failed } }

    func print(_ bytes: [UInt8]) -> WatchDecision {
      state.withLock { state in
        guard limit.map({ state.printed < $0 }) ?? true else { return .stop }
        bytes.withUnsafeBufferPointer { state.output.append($0, terminator: 0x0A) }
        state.output.flush()
        state.printed += 1
        if state.output.failed { return .stop }
        return limit.map { state.printed >= $0 } ?? false ? .stop : .proceed
      }
    }
  }

  /// How the watch task ended, waited for by the main thread.
  private final class WatchOutcome: Sendable {
    private let result = Mutex<(done: Bool, error: WatchError?)>((false, nil))
    private let semaphore = DispatchSemaphore(value: 0)

    /// Records the end (the first one counts) and wakes the waiter.
    func finish(_ error: WatchError?) {
      let first = result.withLock { state in
        guard !state.done else { return false }
        state = (true, error)
        return true
      }
      if first { semaphore.signal() }
    }

    /// Waits for the end; the error, if the watch failed.
    func wait() -> WatchError? {
      semaphore.wait()
      return result.withLock { $0.error }
    }
  }
#endif
