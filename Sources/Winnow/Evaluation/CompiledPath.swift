/// A field path prepared once for lookups in parsed documents.
///
/// All keys live in one buffer owned by this object, so a lookup walks raw memory: no
/// allocation, reference counting or bounds checks per step.
final class CompiledPath: @unchecked Sendable {
  private let keys: UnsafeMutablePointer<UInt8>
  /// Per step: where its key starts in `keys`, its length, and its array index (or -1).
  private let starts: UnsafeMutablePointer<Int>
  private let lengths: UnsafeMutablePointer<Int>
  private let indices: UnsafeMutablePointer<Int>
  let stepCount: Int
  /// Whether the path is exactly one of an event's string members (`Type`, `/Type`, ...),
  /// which read as `""` when missing or null.
  private let namesEventString: Bool

  init(_ path: FieldPath) {
    let steps = path.steps
    stepCount = steps.count
    namesEventString = steps.count == 1 && EventFields.stringMemberNames.contains(steps[0].key)
    let total = steps.reduce(0) { $0 + $1.key.count }
    keys = .allocate(capacity: max(total, 1))
    starts = .allocate(capacity: max(stepCount, 1))
    lengths = .allocate(capacity: max(stepCount, 1))
    indices = .allocate(capacity: max(stepCount, 1))
    var offset = 0
    for (i, step) in steps.enumerated() {
      starts[i] = offset
      lengths[i] = step.key.count
      indices[i] = step.index ?? -1
      for b in step.key {
        keys[offset] = b
        offset += 1
      }
    }
  }

  deinit {
    keys.deallocate()
    starts.deallocate()
    lengths.deallocate()
    indices.deallocate()
  }

  /// The node at this path in a subject, with the event rule for string members applied.
  @inline(__always)
  func find(_ subject: Subject) -> Int? {
    let node = find(in: subject.view, from: subject.root)
    guard subject.isEvent, namesEventString else { return node }
    if let node, subject.view.kind(node) != .null { return node }
    return subject.view.emptyString
  }

  /// The node at this path below `root`, or nil when the field is missing.
  @inline(__always)
  func find(in view: JSONView, from root: Int) -> Int? {
    var node = root
    for i in 0..<stepCount {
      switch view.kind(node) {
      case .object:
        let key = UnsafeBufferPointer(start: keys + starts[i], count: lengths[i])
        guard let member = view.member(node, key) else { return nil }
        node = member
      case .array:
        guard indices[i] >= 0, let element = view.element(node, indices[i]) else { return nil }
        node = element
      default:
        return nil
      }
    }
    return node
  }
}
