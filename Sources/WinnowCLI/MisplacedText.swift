import Winnow

/// Notes for the commonest mix-up of the two languages: a filter given where an event specifier is
/// expected, and the reverse.
///
/// Printed after the parse error, when the text is valid in the other language.
enum MisplacedText {
  /// For specifier text that did not parse: a note when it is a filter.
  ///
  /// `command` says where a filter goes instead; by default, `match --filter`.
  static func noteIfFilter(_ text: String, instead command: String? = nil) {
    guard let filter = try? Filter(parsing: text) else { return }
    guard let command else {
      Console.complain(
        "note: this is a filter; to match the events it holds for, give it with --filter "
          + "(or as the specifier *.*.*.\(filter.canonicalText))")
      return
    }
    Console.complain("note: this is a filter, not an event specifier: \(command)")
  }

  /// For filter text that did not parse: a note when it is an event specifier.
  ///
  /// `command` says where a specifier goes instead.
  static func noteIfSpecifier(_ text: String, instead command: String) {
    guard let specifier = try? EventSpecifier(parsing: text) else { return }
    let filterPart = specifier.filter.map { "; its filter part is \($0.canonicalText)" } ?? ""
    Console.complain("note: this is an event specifier, not a filter: \(command)\(filterPart)")
  }
}
