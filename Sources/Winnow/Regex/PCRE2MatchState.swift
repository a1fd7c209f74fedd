import CPCRE2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The mutable objects a PCRE2 match needs, one set per thread, shared by all patterns.
///
/// A compiled pattern is immutable and shared between threads, but match data, a JIT stack and
/// a match context (which points at the JIT stack) are written during a match. Each thread
/// creates its set on its first match and keeps it in POSIX thread-local storage
/// (`pthread_key_create` with a destructor that frees it when the thread exits). After that a
/// match allocates nothing and takes no lock: one `pthread_getspecific`, two stores into the
/// thread's own match context (the pattern's limits) and the match call.
struct PCRE2MatchState {
  /// Room for one match (start and end): a boolean search needs no more.
  let matchData: OpaquePointer
  /// The thread's JIT stack: 32 KiB growing up to ``jitStackMaximum``.
  let jitStack: OpaquePointer
  /// A match context using `jitStack`; limits are set from the pattern before each match.
  let matchContext: OpaquePointer

  /// The most a thread's JIT stack may grow to; a match that needs more counts as a limit hit.
  static let jitStackMaximum = 4 << 20
  /// The interpreter's heap limit in KiB (when JIT is unavailable).
  static let heapLimitKiB: UInt32 = 20 << 10

  /// The calling thread's state, created on its first call.
  static func current() -> UnsafeMutablePointer<PCRE2MatchState> {
    if let existing = pthread_getspecific(threadKey) {
      return existing.assumingMemoryBound(to: PCRE2MatchState.self)
    }
    let state = UnsafeMutablePointer<PCRE2MatchState>.allocate(capacity: 1)
    guard let matchData = pcre2_match_data_create_8(1, nil),
      let jitStack = pcre2_jit_stack_create_8(32 << 10, jitStackMaximum, nil),
      let matchContext = pcre2_match_context_create_8(nil)
    else {
      fatalError("PCRE2 could not allocate per-thread match state")
    }
    pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack))
    pcre2_set_heap_limit_8(matchContext, heapLimitKiB)
    state.initialize(
      to: PCRE2MatchState(matchData: matchData, jitStack: jitStack, matchContext: matchContext))
    pthread_setspecific(threadKey, state)
    return state
  }

  /// The TLS key; its destructor frees a thread's state when the thread exits.
  private static let threadKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { raw in
      guard let raw else { return }
      let state = raw.assumingMemoryBound(to: PCRE2MatchState.self)
      pcre2_match_data_free_8(state.pointee.matchData)
      pcre2_match_context_free_8(state.pointee.matchContext)
      pcre2_jit_stack_free_8(state.pointee.jitStack)
      state.deinitialize(count: 1)
      state.deallocate()
    }
    precondition(status == 0, "pthread_key_create failed")
    return key
  }()
}
