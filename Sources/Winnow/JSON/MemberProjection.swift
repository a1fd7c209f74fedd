#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The members of a document that a reader can look at: the parser builds tape nodes only for
/// these and skips the values of the others (validating them, see ``JSONSkipper``).
///
/// A projection is a tree of member names (a ``MemberSelection``). Each kept member is kept
/// either whole (every node of its value) or, when the reader only looks members up in it, with
/// a selection of its own: if its value is an object, only the selected members of that object
/// get nodes, and so on down. The rules the parser follows, all conservative:
/// - Only members of objects are ever skipped. A member kept with a selection whose value is an
///   array or a scalar is parsed whole, so array indices and kind tests see the full value.
/// - A member whose name needs decoding (an escape, or invalid UTF-8) is kept whole, since its
///   decoded name might be one of the selected names.
/// - Every occurrence of a selected name is kept, so a repeated member's last occurrence wins
///   exactly as in the full parse, at every level.
/// - A projected object's member count on the tape counts only its kept members, so a reader
///   may look members up in it but must not compare it whole, print it, or count it: whoever
///   builds the selection keeps whole every value that is read as a value (compared, matched,
///   tested for its kind, or printed), and uses a selection only for the objects a path goes
///   through (see `MemberProjection.event(filters:readsJobReferences:)`).
///
/// Immutable after `init`; its ``keys`` are a trivial struct of pointers for the parse loop.
final class MemberProjection: @unchecked Sendable {
  /// The selection in the form the parse loop reads: the entries of every selection, back to
  /// back, node 0 being the top level.
  struct Keys {
    /// What ``child(_:_:_:packed:)`` returns for a member the projection leaves out.
    static let absent = -2

    let bytes: UnsafePointer<UInt8>
    /// Per entry: where its name starts in `bytes`, its length and packed length (see
    /// ``JSONTape/packedLength(_:_:)``, as string nodes store it), and the node of its own
    /// selection, or -1 when it is kept whole.
    let starts: UnsafePointer<Int>
    let lengths: UnsafePointer<Int>
    let packed: UnsafePointer<UInt64>
    let children: UnsafePointer<Int>
    /// Per node: its first entry, and one past its last.
    let firstEntry: UnsafePointer<Int>
    let endEntry: UnsafePointer<Int>

    /// For the member of a projected object at `node` whose name is the `length` bytes at
    /// `name`: ``absent`` when it is left out, -1 when it is kept whole, otherwise the node of
    /// the selection its value is projected by.
    @inline(__always)
    func child(_ node: Int, _ name: UnsafePointer<UInt8>, _ length: Int, packed packedName: UInt64)
      -> Int
    {
      for k in firstEntry[node]..<endEntry[node]
      where packed[k] == packedName && lengths[k] == length {
        if length <= 4 || memcmp(bytes + starts[k] + 4, name + 4, length - 4) == 0 {
          return children[k]
        }
      }
      return Keys.absent
    }
  }

  private let bytes: UnsafeMutablePointer<UInt8>
  private let starts: UnsafeMutablePointer<Int>
  private let lengths: UnsafeMutablePointer<Int>
  private let packed: UnsafeMutablePointer<UInt64>
  private let children: UnsafeMutablePointer<Int>
  private let firstEntry: UnsafeMutablePointer<Int>
  private let endEntry: UnsafeMutablePointer<Int>
  /// What is kept.
  let selection: MemberSelection

  /// A projection onto `selection`.
  init(_ selection: MemberSelection) {
    self.selection = selection
    // Breadth first: every selection becomes a node, numbered in order of appearance.
    var nodes: [MemberSelection] = [selection]
    var entries: [(name: [UInt8], child: Int)] = []
    var ranges: [(Int, Int)] = []
    var next = 0
    while next < nodes.count {
      let node = nodes[next]
      next += 1
      let first = entries.count
      for name in node.members.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
        switch node.members[name]! {
        case .whole:
          entries.append((name, -1))
        case .members(let inner):
          entries.append((name, nodes.count))
          nodes.append(inner)
        }
      }
      ranges.append((first, entries.count))
    }
    let total = entries.reduce(0) { $0 + $1.name.count }
    bytes = .allocate(capacity: max(total, 1))
    starts = .allocate(capacity: max(entries.count, 1))
    lengths = .allocate(capacity: max(entries.count, 1))
    packed = .allocate(capacity: max(entries.count, 1))
    children = .allocate(capacity: max(entries.count, 1))
    firstEntry = .allocate(capacity: ranges.count)
    endEntry = .allocate(capacity: ranges.count)
    var offset = 0
    for (k, entry) in entries.enumerated() {
      (bytes + offset).initialize(from: entry.name, count: entry.name.count)
      starts[k] = offset
      lengths[k] = entry.name.count
      packed[k] = JSONTape.packedLength(bytes + offset, entry.name.count)
      children[k] = entry.child
      offset += entry.name.count
    }
    for (k, range) in ranges.enumerated() {
      firstEntry[k] = range.0
      endEntry[k] = range.1
    }
  }

  /// A projection onto the top-level members `names`, each kept whole.
  convenience init(_ names: Set<[UInt8]>) {
    var selection = MemberSelection()
    for name in names { selection.insert([name]) }
    self.init(selection)
  }

  deinit {
    bytes.deallocate()
    starts.deallocate()
    lengths.deallocate()
    packed.deallocate()
    children.deallocate()
    firstEntry.deallocate()
    endEntry.deallocate()
  }

  /// The top-level names, sorted.
  var names: [[UInt8]] { selection.members.keys.sorted { $0.lexicographicallyPrecedes($1) } }

  /// The selection as the paths of its leaves, each kept whole, names joined with `.`, sorted:
  /// `Object.Stage` keeps only `Stage` of `Object`.
  var paths: [String] { selection.paths.sorted() }

  /// The names as the parse loop reads them (valid while this projection is alive).
  var keys: Keys {
    Keys(
      bytes: bytes, starts: starts, lengths: lengths, packed: packed, children: children,
      firstEntry: firstEntry, endEntry: endEntry)
  }
}
