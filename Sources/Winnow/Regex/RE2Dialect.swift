/// The RE2 regular expression dialect: validates a pattern and translates it for PCRE2.
///
/// `Re(...)` patterns are RE2 syntax (as Go's `regexp` and google-re2 accept them) and run on
/// PCRE2. The parser follows RE2's own (`re2/parse.cc`) step by step, so it accepts exactly
/// RE2's language, and it prints a PCRE2 pattern that matches the same strings:
///
/// - flags are resolved while parsing and never printed as `(?i)`: each atom carries its own
///   meaning (`(?i:k)`, `(?m:^)`, `\A`, `[^\n]`), so `a(?i)*` cannot change meaning in PCRE2;
/// - classes are built as code point sets from RE2's tables and printed as explicit ranges, so
///   `\s`, `\w`, `[[:space:]]` and `\p{Greek}` mean exactly what they mean in RE2;
/// - groups are printed as non-capturing groups, and groups that need no parentheses in PCRE2
///   are printed without them (PCRE2 limits nesting; RE2 does not).
///
/// The pattern must be compiled with `PCRE2_UTF`, `PCRE2_ALT_CIRCUMFLEX` and newline LF, and
/// without `PCRE2_UCP` (see ``PCRE2Pattern``).
enum RE2Dialect {
  /// Checks that `pattern` is RE2 syntax and returns an equivalent PCRE2 pattern.
  ///
  /// - Throws: the first error, located at a UTF-8 byte offset inside `pattern`.
  static func translate(_ pattern: String) throws(RegexSyntaxError) -> String {
    var parser = RE2Parser(pattern, buildsTree: false)
    return try parser.parse().translation
  }

  /// Checks that `pattern` is RE2 syntax and returns its tree (for ``RegexProgram``).
  ///
  /// - Throws: also when groups nest deeper than ``RE2Parser/maxTreeNesting``.
  static func tree(_ pattern: String) throws(RegexSyntaxError) -> RegexNode {
    var parser = RE2Parser(pattern, buildsTree: true)
    return try parser.parse().tree
  }

  /// RE2's largest repetition count, and its limit on the product of nested counts.
  static let maxRepeat = 1000

  /// Estimated RE2 program instructions past which RE2 reports "pattern too large".
  ///
  /// RE2 gives a compiled program two thirds of `max_mem` (8 MiB by default); measured with
  /// google-re2, that holds 699,050 instructions (a literal of 698,992 characters compiles, one
  /// of 698,993 does not). ``RE2Parser`` estimates the count (see `Piece.cost`).
  static let maxProgramSize = 699_000
}

/// RE2's parse flags that change what an atom means.
struct RE2Flags: Hashable, Sendable {
  /// `i`: case-insensitive (Unicode simple case folding).
  var foldCase = false
  /// `m`: `^` and `$` match at line boundaries too.
  var multiLine = false
  /// `s`: `.` matches `\n`.
  var dotMatchesNewline = false
  /// `U`: `*` is lazy and `*?` greedy.
  var ungreedy = false
}

/// One translated piece of a concatenation: an atom, a group or a repeated piece.
struct Piece {
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
  static func atom(_ text: String, node: RegexNode, cost: Int) -> Piece {
    Piece(text: text, quantifiable: true, cost: cost, node: node)
  }

  /// A zero-width assertion such as `\b`: PCRE2 repeats it only inside brackets.
  static func assertion(_ text: String, _ assertion: RegexAssertion) -> Piece {
    Piece(text: text, quantifiable: false, cost: 1, node: .assertion(assertion))
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
