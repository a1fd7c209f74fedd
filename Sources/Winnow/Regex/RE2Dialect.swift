/// The RE2 regular expression dialect: validates a pattern and translates it for PCRE2.
///
/// `Re(...)` patterns are RE2 syntax (as Go's `regexp` and google-re2 accept them) and run on
/// PCRE2. The parser follows RE2's own (`re2/parse.cc`) step by step, so it accepts exactly
/// RE2's language, and it prints a PCRE2 pattern that matches the same strings:
///
/// - flags are resolved while parsing and never printed as `(?i)`: each atom carries its own
///   meaning (`(?i:k)`, `(?m:^)`, `\A`, `[^\n]`), so `a(?i)*` cannot change meaning in PCRE2;
/// - classes are built as code point sets from RE2's tables, folded under `(?i)` with RE2's own
///   orbits (``RE2CaseFolding``), and printed as one plain class of explicit ranges, so `\s`,
///   `\w`, `[[:space:]]`, `\p{Greek}` and `(?i)\p{Lu}` mean exactly what they mean in RE2 and a
///   counted repeat of a class is never a copied group;
/// - groups are printed as non-capturing groups, and groups that need no parentheses in PCRE2
///   are printed without them (PCRE2 limits nesting; RE2 does not).
///
/// The pattern must be compiled with `PCRE2_UTF`, `PCRE2_ALT_CIRCUMFLEX` and newline LF, and
/// without `PCRE2_UCP` (see ``RE2Pattern``). The same parser can also build a tree
/// (``RegexNode``) for Winnow's own linear-time automaton (``RegexProgram``).
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
  /// of 698,993 does not). ``RE2Parser`` estimates the count (see `RE2Piece.cost`).
  static let maxProgramSize = 699_000
}
