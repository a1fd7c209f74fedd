/// RE2's case folding (Unicode simple case folding orbits, as RE2 applies them under `(?i)`).
///
/// The orbits are generated from google-re2 (`RE2CaseFoldingTables.swift`); Winnow's own
/// automaton uses them, while the PCRE2 translation lets PCRE2 fold (the corpus checks that both
/// agree with RE2).
enum RE2CaseFolding {
  /// Each orbit's code points, sorted.
  static let orbits: [[UInt32]] = encodedOrbits.split(separator: ",").map { group in
    group.split(separator: " ").compactMap { UInt32($0, radix: 16) }
  }

  /// The orbit of each code point that has one, as an index into ``orbits``.
  static let orbitOf: [UInt32: Int] = {
    var index: [UInt32: Int] = [:]
    for (i, orbit) in orbits.enumerated() {
      for c in orbit { index[c] = i }
    }
    return index
  }()

  /// The set with every member's whole orbit added.
  static func closure(of set: RE2CharacterSet) -> RE2CharacterSet {
    if set.isEmpty { return set }
    var out = set
    let size = set.ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 }
    if size <= 64 {
      // A literal or a small class: look each code point up.
      for r in set.ranges {
        for c in r {
          if let i = orbitOf[c] { for partner in orbits[i] { out.insert(partner) } }
        }
      }
      return out
    }
    for orbit in orbits where orbit.contains(where: set.contains) {
      for c in orbit { out.insert(c) }
    }
    return out
  }
}
