/// One translated piece of a concatenation: an atom, a group or a repeated piece.
struct RE2Piece {
  /// The PCRE2 text.
  var text: String
  /// Whether a quantifier can follow `text` directly (a single atom, class or group).
  var quantifiable: Bool
  /// For a group with one branch: its contents, which a concatenation can inline unbracketed.
  var inlineText: String?
  /// The product of counted repetitions on the deepest path inside, for RE2's limit of 1000.
  var nesting = 1
  /// An estimate of the RE2 program instructions this piece compiles to.
  var cost: Int
  /// The piece as a tree, for Winnow's own automaton.
  var node: RegexNode

  /// A piece that a quantifier may follow.
  static func atom(_ text: String, node: RegexNode, cost: Int) -> RE2Piece {
    RE2Piece(text: text, quantifiable: true, cost: cost, node: node)
  }

  /// A zero-width assertion such as `\b`: PCRE2 repeats it only inside brackets.
  static func assertion(_ text: String, _ assertion: RegexAssertion) -> RE2Piece {
    RE2Piece(text: text, quantifiable: false, cost: 1, node: .assertion(assertion))
  }

  /// `text`, bracketed when a quantifier could not follow it directly.
  var quantifiableText: String { quantifiable ? text : "(?:" + text + ")" }
}

/// Adds with a ceiling, so that cost estimates of huge patterns cannot overflow.
func saturatingAdd(_ a: Int, _ b: Int) -> Int { min(a + b, 1 << 40) }

/// Multiplies with a ceiling, so that cost estimates of huge patterns cannot overflow.
func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
  let (product, overflow) = a.multipliedReportingOverflow(by: b)
  return overflow ? 1 << 40 : min(product, 1 << 40)
}
