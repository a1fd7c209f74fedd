/// Owns the memory of a compiled filter's prepared operands (paths, literal sets), so that the
/// evaluators can hold plain pointers: calling them costs no reference counting at all.
///
/// Everything allocated through an arena lives as long as the arena; ``CompiledFilter`` keeps
/// its arena alive for as long as its closures exist.
final class EvaluationArena: @unchecked Sendable {
  private var releases: [() -> Void] = []

  init() {}

  deinit {
    for release in releases { release() }
  }

  /// A buffer holding a copy of `elements`, valid for the arena's lifetime.
  func copy<T>(_ elements: [T]) -> UnsafeMutablePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(elements.count, 1))
    pointer.initialize(from: elements, count: elements.count)
    let count = elements.count
    releases.append {
      pointer.deinitialize(count: count)
      pointer.deallocate()
    }
    return pointer
  }
}
