#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The top-level member names of an object that a reader of the document can look at: the
/// parser builds tape nodes only for these and skips the values of the others (validating
/// them, see ``JSONSkipper``).
///
/// Immutable after `init`; its ``keys`` are a trivial struct of pointers for the parse loop.
final class MemberProjection: @unchecked Sendable {
  /// The names, back to back, with where each starts and its length.
  struct Keys {
    let bytes: UnsafePointer<UInt8>
    let starts: UnsafePointer<Int>
    let lengths: UnsafePointer<Int>
    /// Per name: `JSONTape.packedLength`, as string nodes store it.
    let packed: UnsafePointer<UInt64>
    let count: Int

    /// Whether the `length` bytes at `name`, whose packed length (see
    /// ``JSONTape/packedLength(_:_:)``) is `packedName`, spell one of the names.
    @inline(__always)
    func contains(_ name: UnsafePointer<UInt8>, _ length: Int, packed packedName: UInt64) -> Bool {
      for k in 0..<count where packed[k] == packedName && lengths[k] == length {
        if length <= 4 || memcmp(bytes + starts[k] + 4, name + 4, length - 4) == 0 { return true }
      }
      return false
    }
  }

  private let bytes: UnsafeMutablePointer<UInt8>
  private let starts: UnsafeMutablePointer<Int>
  private let lengths: UnsafeMutablePointer<Int>
  private let packed: UnsafeMutablePointer<UInt64>
  /// The names, sorted and without duplicates.
  let names: [[UInt8]]

  /// A projection onto `names`.
  init(_ names: Set<[UInt8]>) {
    self.names = names.sorted { $0.lexicographicallyPrecedes($1) }
    let total = self.names.reduce(0) { $0 + $1.count }
    bytes = .allocate(capacity: max(total, 1))
    starts = .allocate(capacity: max(self.names.count, 1))
    lengths = .allocate(capacity: max(self.names.count, 1))
    packed = .allocate(capacity: max(self.names.count, 1))
    var offset = 0
    for (k, name) in self.names.enumerated() {
      (bytes + offset).initialize(from: name, count: name.count)
      starts[k] = offset
      lengths[k] = name.count
      packed[k] = JSONTape.packedLength(bytes + offset, name.count)
      offset += name.count
    }
  }

  deinit {
    bytes.deallocate()
    starts.deallocate()
    lengths.deallocate()
    packed.deallocate()
  }

  /// The names as the parse loop reads them (valid while this projection is alive).
  var keys: Keys {
    Keys(bytes: bytes, starts: starts, lengths: lengths, packed: packed, count: names.count)
  }
}
