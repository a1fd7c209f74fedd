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

  /// The set with every member's whole orbit added.
  static func closure(of set: RE2CharacterSet) -> RE2CharacterSet {
    if set.isEmpty { return set }
    var out = set
    for orbit in orbits where orbit.contains(where: set.contains) {
      for c in orbit { out.insert(c) }
    }
    return out
  }
}
