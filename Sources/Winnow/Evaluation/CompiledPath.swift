/// A field path prepared once for lookups in parsed documents.
///
/// All keys live in one arena buffer, so a lookup walks raw memory: no allocation, reference
/// counting or bounds checks per step.
struct CompiledPath: @unchecked Sendable {
  private let keys: UnsafeMutablePointer<UInt8>
  /// Per step: where its key starts in `keys`, its length, and its array index (or -1).
  private let starts: UnsafeMutablePointer<Int>
  private let lengths: UnsafeMutablePointer<Int>
  private let indices: UnsafeMutablePointer<Int>
  /// Per step: the key's length packed with its first bytes, as string nodes store it.
  private let packed: UnsafeMutablePointer<UInt64>
  let stepCount: Int
  /// Whether the path is exactly one of an event's string members (`Type`, `/Type`, ...),
  /// which read as `""` when missing or null.
  private let namesEventString: Bool

  init(_ path: FieldPath, in arena: EvaluationArena) {
    let steps = path.steps
    stepCount = steps.count
    namesEventString = path.namesEventStringMember
    keys = arena.copy(steps.flatMap(\.key))
    var offset = 0
    starts = arena.copy(
      steps.map { step in
        defer { offset += step.key.count }
        return offset
      })
    lengths = arena.copy(steps.map(\.key.count))
    indices = arena.copy(steps.map { $0.index ?? -1 })
    packed = arena.copy(
      steps.map { step in
        step.key.withUnsafeBufferPointer { key in
          key.baseAddress.map { JSONTape.packedLength($0, key.count) } ?? 0
        }
      })
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
        guard let member = view.member(node, keys + starts[i], lengths[i], packed: packed[i])
        else { return nil }
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

extension CompiledPath {
  /// What an explanation shows for this path: the value found from the subject's root, or
  /// for `Changed` under the event rules the values inside `Original` and `Object`.
  func observe(_ subject: Subject, comparingVersions: Bool) -> Explanation.Observation {
    let view = subject.view
    func lookup(from root: Int) -> Explanation.Lookup {
      guard root >= 0 else { return .absent }
      return find(in: view, from: root).map { .found(view.value(at: $0)) } ?? .missing
    }
    guard comparingVersions, subject.isEvent else {
      return .value(find(subject).map { .found(view.value(at: $0)) } ?? .missing)
    }
    return .changed(original: lookup(from: subject.original), object: lookup(from: subject.object))
  }
}
