/// Splits a message whose `data` is longer than the package size into chunks (SPEC section 11):
/// the same `id`, `count` chunks, `index` 0..<count, each holding a slice of `data`.
///
/// Lengths are counted as JavaScript counts them (UTF-16 code units), which is how OpenFlow
/// clients measure their package size, and a slice never ends inside a surrogate pair, so every
/// chunk is valid text on its own.
public enum OpenFlowChunkSplitter {
  /// The package size of the hub, announced in the signin reply as `websocket_package_size`.
  public static let defaultPackageSize = 25_000

  /// The text frames that carry `message`: one when its `data` fits in `packageSize`.
  public static func frames(for message: OpenFlowMessage, packageSize: Int = defaultPackageSize)
    -> [String]
  {
    guard let data = message.data, data.utf16.count > packageSize else {
      var single = message
      single.count = 1
      single.index = 0
      return [single.serialized]
    }
    let slices = self.slices(of: data, packageSize: packageSize)
    var chunk = message
    chunk.count = slices.count
    return slices.enumerated().map { index, slice in
      chunk.index = index
      chunk.data = String(slice)
      return chunk.serialized
    }
  }

  /// `text` cut into slices of at most `packageSize` UTF-16 code units (at least one scalar
  /// each, should `packageSize` be below 2).
  static func slices(of text: String, packageSize: Int) -> [Substring] {
    let size = max(packageSize, 1)
    var slices: [Substring] = []
    slices.reserveCapacity(text.utf16.count / size + 1)
    let scalars = text.unicodeScalars
    var start = scalars.startIndex
    var i = start
    var units = 0
    while i < scalars.endIndex {
      let width = scalars[i].utf16.count
      if units + width > size && units > 0 {
        slices.append(Substring(scalars[start..<i]))
        start = i
        units = 0
      }
      units += width
      i = scalars.index(after: i)
    }
    if start < scalars.endIndex || slices.isEmpty { slices.append(Substring(scalars[start...])) }
    return slices
  }
}
