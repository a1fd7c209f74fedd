/// Close spellings for unknown names and corrected forms for values that are not JSON.
package enum Suggestion {
  /// The keyword `word` most likely stands for, or nil when none is close.
  ///
  /// A case-insensitive exact match wins (`eq` → `Eq`, `AND` → `And`); otherwise the keyword at
  /// the smallest case-insensitive edit distance, when that distance is at most 2 and smaller
  /// than the word's length (so `X` does not suggest `Or`). Ties go to the earlier keyword.
  package static func closest(to word: String, among keywords: [String]) -> String? {
    let folded = Array(word.lowercased().unicodeScalars)
    var best: (keyword: String, distance: Int)?
    for keyword in keywords {
      let candidate = Array(keyword.lowercased().unicodeScalars)
      if candidate == folded { return keyword }
      let distance = editDistance(folded, candidate)
      if distance <= 2, distance < folded.count, distance < (best?.distance ?? .max) {
        best = (keyword, distance)
      }
    }
    return best?.keyword
  }

  /// The Levenshtein distance between two sequences (insertions, deletions, substitutions).
  static func editDistance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// A JSON string holding `text`, as a suggestion for a bare word or a single-quoted string
  /// written where a value belongs (`foo` → `"foo"`).
  static func quoted(_ text: some Sequence<UInt8>) -> String {
    var out: [UInt8] = []
    JSONValue.writeQuoted(text, to: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
