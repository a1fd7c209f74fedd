#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A borrowed, read-only view of a parsed document's tape (see ``JSONTape``).
///
/// Nodes are addressed by tape index; the root is at index 0. The view holds raw pointers and
/// is valid only while its ``JSONDocument`` (or the ``JSONTapeBuilder`` and source buffer it was
/// made from) is alive and unchanged: it is for evaluation loops, never for storage.
struct JSONView {
  let tape: UnsafePointer<UInt64>
  let source: UnsafePointer<UInt8>
  let extra: UnsafePointer<UInt8>
  /// The length of `source`, for reading number lexemes back.
  let sourceCount: Int
  /// The number of words of the document's nodes; an empty string node follows them.
  let tapeCount: Int

  /// A node holding `""` that is not part of the document: what an event's missing or null
  /// string members read as.
  var emptyString: Int { tapeCount }

  @inline(__always)
  func kind(_ node: Int) -> JSONKind { JSONTape.kind(tape[node]) }

  /// The float value of a number node.
  @inline(__always)
  func number(_ node: Int) -> Double { Double(bitPattern: tape[node + 1]) }

  /// The decoded UTF-8 bytes of a string node.
  @inline(__always)
  func string(_ node: Int) -> UnsafeBufferPointer<UInt8> {
    let word = tape[node]
    let offset = Int(word & JSONTape.offsetMask)
    let base = word & JSONTape.decodedFlag != 0 ? extra : source
    return UnsafeBufferPointer(start: base + offset, count: JSONTape.length(tape[node + 1]))
  }

  /// The number of elements of an array or members of an object.
  @inline(__always)
  func count(_ node: Int) -> Int { Int(tape[node + 1]) }

  /// The index of the node that follows `node` and everything inside it.
  @inline(__always)
  func skip(_ node: Int) -> Int {
    let word = tape[node]
    switch JSONTape.kind(word) {
    case .array, .object: return Int(word & JSONTape.payloadMask)
    default: return node + 2
    }
  }

  /// The value of the member named `key` in an object node (the last one, if the key repeats),
  /// or nil when there is none.
  @inline(__always)
  func member(_ object: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = key.baseAddress else {
      return member(object, extra, 0, packed: 0)
    }
    return member(object, base, key.count, packed: JSONTape.packedLength(base, key.count))
  }

  /// The value of the member whose name is the `count` bytes at `key` (the last one, if the key
  /// repeats), or nil.
  ///
  /// `packed` is `JSONTape.packedLength(key, count)`. Every member is visited, since a later
  /// duplicate wins; most are ruled out by one compare of the packed length and prefix, without
  /// reading their names.
  @inline(__always)
  func member(_ object: Int, _ key: UnsafePointer<UInt8>, _ count: Int, packed: UInt64) -> Int? {
    let end = Int(tape[object] & JSONTape.payloadMask)
    var node = object + 2
    var found: Int? = nil
    while node < end {
      let value = node + 2
      if tape[node + 1] == packed {
        if count <= 4 {
          found = value
        } else {
          let word = tape[node]
          let base = word & JSONTape.decodedFlag != 0 ? extra : source
          let name = base + Int(word & JSONTape.offsetMask)
          var i = 4
          while i < count, name[i] == key[i] { i += 1 }
          if i == count { found = value }
        }
      }
      node = skip(value)
    }
    return found
  }

  /// The element at `index` of an array node, or nil when it is out of range.
  @inline(__always)
  func element(_ array: Int, _ index: Int) -> Int? {
    guard index < count(array) else { return nil }
    var node = array + 2
    for _ in 0..<index { node = skip(node) }
    return node
  }

  /// The end offset of the number lexeme that starts at `start` in the source.
  func numberLexemeEnd(from start: Int) -> Int {
    var i = start
    while i < sourceCount {
      switch source[i] {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
        UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
        i += 1
      default: return i
      }
    }
    return i
  }
}

/// Byte-for-byte equality of two buffers of the same length.
@inline(__always)
func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
  guard a.count == b.count else { return false }
  guard a.count > 0 else { return true }
  return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
}
