import Foundation

/// Test source text with one `1️⃣` marking where a diagnostic's caret must land.
struct MarkedText {
  static let marker = "1️⃣"
  /// The text without the marker.
  let text: String
  /// The UTF-8 offset of the marker in `text`, or nil if there was none.
  let offset: Int?

  init(_ marked: String) {
    if let range = marked.range(of: MarkedText.marker) {
      offset = marked.utf8.distance(from: marked.startIndex, to: range.lowerBound)
      text = marked.replacingCharacters(in: range, with: "")
    } else {
      offset = nil
      text = marked
    }
  }
}
