import CPCRE2
import Synchronization

/// A regular expression in RE2 syntax, compiled once with PCRE2 (JIT where available).
///
/// The pattern is checked and translated by `RE2Dialect` and compiled in UTF-8 mode without
/// `PCRE2_UCP` (so `\b` is ASCII-only, as in RE2), with `PCRE2_DOLLAR_ENDONLY`,
/// `PCRE2_ALT_CIRCUMFLEX` (multi-line `^` also matches after a final `\n`, as in RE2) and `\n` as
/// the only newline.
///
/// Matching is an unanchored search in time linear in the subject, whatever the pattern. PCRE2
/// (JIT where available) is the fast path, under one budget of backtracking steps for the whole
/// search: the per-start-position match limit is the budget divided by the number of start
/// positions (at least `minimumStepsPerStart`). When PCRE2 stops at a limit, the answer comes
/// from `LinearSearch`, a lazily built DFA over Winnow's own NFA (`RegexProgram`), which never
/// backtracks. Only if that automaton cannot be built (a program beyond
/// `RegexProgram.maxInstructions`, which RE2's size limit rules out, or groups nested deeper
/// than `RE2Parser.maxTreeNesting`) does the search count as no match and add one to
/// ``limitHits``. Any number of threads may match with one pattern at the same time.
///
/// A pattern that RE2 accepts but whose translation PCRE2 cannot hold (over its 64 KiB program
/// or its nesting limit, e.g. `(?:\pL\pL\pL\pL\pL\pL\pL\pL\pL\pL){40}`) is matched by the
/// automaton alone.
///
/// Two patterns are equal when their RE2 source texts have the same UTF-8 bytes.
public final class RE2Pattern: @unchecked Sendable, Hashable {
  /// The pattern as written, in RE2 syntax.
  public let source: String

  /// The equivalent PCRE2 pattern that is compiled.
  let translated: String
  /// Whether PCRE2 compiled the translation (else only the automaton matches).
  var usesPCRE2: Bool { code != nil }
  /// Whether the JIT compiled the pattern (then matches use `pcre2_jit_match`).
  let isJITCompiled: Bool
  /// PCRE2's backtracking steps (its match-limit unit) allowed for one whole search.
  let matchLimit: UInt32
  /// The depth limit for each match (the interpreter's backtracking depth; the JIT is bounded
  /// by its stack instead).
  let depthLimit: UInt32

  // Immutable after init; PCRE2 guarantees compiled code may be shared between threads.
  private let code: OpaquePointer?
  private let hits = Atomic<Int>(0)
  private let linearSearches = Atomic<Int>(0)
  /// The most NFA instructions the fallback may build.
  let linearInstructionLimit: Int
  /// The non-backtracking program, built on the first search that needs it.
  private let linear: Mutex<LinearFallback>

  /// The state of the non-backtracking fallback.
  private enum LinearFallback {
    case notBuilt
    case built(RegexProgram)
    case tooLarge
  }

  /// The default budget for one search: ordinary patterns never reach it, and catastrophic
  /// backtracking gives up within about a millisecond.
  static let defaultMatchLimit: UInt32 = 200_000
  /// The smallest per-start-position limit, so that long subjects keep the fast path for
  /// ordinary patterns (a search does at most ``defaultMatchLimit`` + this × positions steps).
  static let minimumStepsPerStart: UInt32 = 16
  /// The default depth limit.
  static let defaultDepthLimit: UInt32 = 10_000

  /// Checks and compiles a pattern in RE2 syntax, as `Re("...")` does.
  ///
  /// - Throws: ``RegexSyntaxError`` for a pattern outside RE2's language (or over RE2's size
  ///   limit), with the UTF-8 offset of the problem in `pattern`.
  public convenience init(_ pattern: String) throws(RegexSyntaxError) {
    try self.init(re2: pattern)
  }

  /// Checks, translates and compiles an RE2 pattern, with the search's limits.
  ///
  /// - Throws: ``RegexSyntaxError`` for a pattern outside RE2's language, with the offset of
  ///   the problem in `pattern`. (Should PCRE2 ever reject a translation, that is reported the
  ///   same way, at offset 0, rather than trapping.)
  init(
    re2 pattern: String, matchLimit: UInt32 = defaultMatchLimit,
    depthLimit: UInt32 = defaultDepthLimit,
    linearInstructionLimit: Int = RegexProgram.maxInstructions
  ) throws(RegexSyntaxError) {
    source = pattern
    self.linearInstructionLimit = linearInstructionLimit
    let translated = try RE2Dialect.translate(pattern)
    self.translated = translated
    self.matchLimit = matchLimit
    self.depthLimit = depthLimit

    let context = pcre2_compile_context_create_8(nil)
    defer { pcre2_compile_context_free_8(context) }
    pcre2_set_newline_8(context, UInt32(PCRE2_NEWLINE_LF))
    // RE2 has no nesting limit; the translation drops the brackets that PCRE2 does not need,
    // so only groups with alternatives or repeats count here.
    pcre2_set_parens_nest_limit_8(context, 1000)

    let options =
      PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_CIRCUMFLEX
      | PCRE2_NEVER_BACKSLASH_C | PCRE2_NEVER_UCP
    var errorCode: Int32 = 0
    var errorOffset = 0
    let utf8 = Array(translated.utf8)
    let compiled = utf8.withUnsafeBufferPointer { bytes in
      pcre2_compile_8(bytes.baseAddress, bytes.count, options, &errorCode, &errorOffset, context)
    }
    guard let compiled else {
      guard
        errorCode == PCRE2_ERROR_PATTERN_TOO_LARGE
          || errorCode == PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP
      else {
        throw RegexSyntaxError(
          "pattern could not be compiled: \(Self.errorMessage(errorCode))", at: 0)
      }
      // Too big for PCRE2, not for RE2: the automaton alone matches it.
      let program: RegexProgram
      do {
        program = try RegexProgram(
          try RE2Dialect.tree(pattern), maxInstructions: linearInstructionLimit)
      } catch {
        throw RegexSyntaxError(
          "pattern too large: PCRE2 cannot compile it (\(Self.errorMessage(errorCode))) and it is "
            + "beyond the linear-time matcher's bounds (\(RegexProgram.maxInstructions) instructions, "
            + "\(RE2Parser.maxTreeNesting) nested groups)",
          at: 0)
      }
      code = nil
      isJITCompiled = false
      linear = Mutex(.built(program))
      return
    }
    code = compiled
    isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
    linear = Mutex(.notBuilt)
  }

  deinit {
    if let code { pcre2_code_free_8(code) }
  }

  /// How many searches found no answer within the memory bound of the non-backtracking
  /// fallback (each counted as no match).
  public var limitHits: Int { hits.load(ordering: .relaxed) }

  /// How many searches the non-backtracking fallback answered (PCRE2 gave up on them).
  var linearSearchCount: Int { linearSearches.load(ordering: .relaxed) }

  /// Whether the pattern matches somewhere in `subject`, which must be valid UTF-8.
  ///
  /// Allocates nothing and takes no lock (after the calling thread's first match).
  func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = subject.baseAddress else {
      // PCRE2 10.42 rejects a NULL subject even when it is empty.
      var empty: UInt8 = 0
      return withUnsafePointer(to: &empty) { matches(UnsafeBufferPointer(start: $0, count: 0)) }
    }
    guard let code else { return matchesWithoutBacktracking(subject) }
    let state = PCRE2MatchState.current()
    let context = state.pointee.matchContext
    // One budget for the whole search: PCRE2 applies the limit to each start position.
    let perStart = max(Self.minimumStepsPerStart, matchLimit / UInt32(clamping: subject.count + 1))
    pcre2_set_match_limit_8(context, perStart)
    pcre2_set_depth_limit_8(context, depthLimit)
    let status: Int32 =
      if isJITCompiled {
        pcre2_jit_match_8(code, base, subject.count, 0, 0, state.pointee.matchData, context)
      } else {
        pcre2_match_8(
          code, base, subject.count, 0, PCRE2_NO_UTF_CHECK, state.pointee.matchData, context)
      }
    if status >= 0 { return true }  // 0 only says the one-pair ovector was too small
    switch status {
    case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT,
      PCRE2_ERROR_JIT_STACKLIMIT, PCRE2_ERROR_NOMEMORY:
      return matchesWithoutBacktracking(subject)
    default:
      return false
    }
  }

  /// Whether the pattern matches somewhere in `subject`, answered by `LinearSearch` alone.
  func matchesWithoutBacktracking(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
    linearSearches.add(1, ordering: .relaxed)
    guard let program = linearProgram() else {
      hits.add(1, ordering: .relaxed)
      return false
    }
    return LinearSearch.matches(program, in: subject)
  }

  /// Whether the pattern matches somewhere in `subject`, answered by `LinearSearch` alone.
  func matchesWithoutBacktracking(_ subject: String) -> Bool {
    var text = subject
    return text.withUTF8 { matchesWithoutBacktracking($0) }
  }

  /// `LinearSearch`'s answer, its work and its program's size (nil if it cannot be built),
  /// for the fuzz oracle's step budget.
  func linearSearchWork(_ subject: String) -> (matches: Bool, work: Int, instructions: Int)? {
    guard let program = linearProgram() else { return nil }
    var text = subject
    var work = 0
    let found = text.withUTF8 { LinearSearch.matches(program, in: $0, work: &work) }
    return (found, work, program.instructions.count)
  }

  /// The non-backtracking program, built once (nil if it is too large to build).
  private func linearProgram() -> RegexProgram? {
    linear.withLock { state -> RegexProgram? in
      switch state {
      case .built(let program):
        return program
      case .tooLarge:
        return nil
      case .notBuilt:
        // The source parsed when the pattern was created, so it parses again.
        guard let tree = try? RE2Dialect.tree(source),
          let program = try? RegexProgram(tree, maxInstructions: linearInstructionLimit)
        else {
          state = .tooLarge
          return nil
        }
        state = .built(program)
        return program
      }
    }
  }

  /// Whether the pattern matches somewhere in `subject` (an unanchored search, as `Re` does).
  public func matches(_ subject: String) -> Bool {
    var text = subject
    return text.withUTF8 { matches($0) }
  }

  public static func == (lhs: RE2Pattern, rhs: RE2Pattern) -> Bool {
    lhs.source.utf8.elementsEqual(rhs.source.utf8)
  }

  public func hash(into hasher: inout Hasher) {
    for byte in source.utf8 { hasher.combine(byte) }
  }

  private static func errorMessage(_ code: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
    return length > 0 ? String(decoding: buffer[..<Int(length)], as: UTF8.self) : "error \(code)"
  }
}
