/// Encodes `watchevent` Envelopes straight to protobuf bytes, the hot path of delivery over the
/// byte-stream transports: one exactly sized array per event and client, no intermediate
/// messages, and the event's JSON copied once.
///
/// The bytes are those SwiftProtobuf writes for the same Envelope (fields in number order,
/// empty strings and a zero `seq` left out), which the tests check.
package enum WatchEventEncoder {
  static let command: [UInt8] = Array("watchevent".utf8)
  static let typeURL: [UInt8] = Array("type.googleapis.com/openiap.WatchEvent".utf8)

  /// The Envelope `{command: "watchevent", seq, id, data: Any(WatchEvent{watchID, action,
  /// json})}` as protobuf bytes.
  package static func envelope(
    seq: Int32, id: String, watchID: String, action: String, json: some Collection<UInt8>
  ) -> [UInt8] {
    let watchIDCount = watchID.utf8.count
    let actionCount = action.utf8.count
    let jsonCount = json.count
    let value =
      stringFieldSize(watchIDCount) + stringFieldSize(actionCount) + stringFieldSize(jsonCount)
    let any = stringFieldSize(typeURL.count) + stringFieldSize(value)
    let idCount = id.utf8.count
    var total =
      stringFieldSize(command.count) + stringFieldSize(idCount) + 1 + varintSize(any) + any
    if seq != 0 { total += 1 + varintSize(UInt64(bitPattern: Int64(seq))) }
    var out: [UInt8] = []
    out.reserveCapacity(total)
    appendString(1, command, count: command.count, to: &out)
    if seq != 0 {
      out.append(3 << 3)
      // int32 is written as a 64-bit varint; a negative seq takes ten bytes.
      appendVarint(UInt64(bitPattern: Int64(seq)), to: &out)
    }
    appendString(4, id.utf8, count: idCount, to: &out)
    out.append(6 << 3 | 2)
    appendVarint(UInt64(any), to: &out)
    appendString(1, typeURL, count: typeURL.count, to: &out)
    if value > 0 {
      out.append(2 << 3 | 2)
      appendVarint(UInt64(value), to: &out)
    }
    appendString(1, watchID.utf8, count: watchIDCount, to: &out)
    appendString(2, action.utf8, count: actionCount, to: &out)
    appendString(3, json, count: jsonCount, to: &out)
    return out
  }

  /// The bytes of a length-delimited field of `count` bytes (0 when empty: proto3 omits it).
  static func stringFieldSize(_ count: Int) -> Int {
    count == 0 ? 0 : 1 + varintSize(UInt64(count)) + count
  }

  static func varintSize(_ value: UInt64) -> Int {
    var n = 1
    var v = value >> 7
    while v != 0 {
      n += 1
      v >>= 7
    }
    return n
  }

  static func varintSize(_ value: Int) -> Int { varintSize(UInt64(value)) }

  static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }

  static func appendString(
    _ field: UInt8, _ bytes: some Collection<UInt8>, count: Int, to out: inout [UInt8]
  ) {
    guard count > 0 else { return }
    out.append(field << 3 | 2)
    appendVarint(UInt64(count), to: &out)
    out.append(contentsOf: bytes)
  }
}
