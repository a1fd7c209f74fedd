/// A parsed RE2 pattern as a tree, for Winnow's own automaton (``RegexProgram``).
///
/// Flags are already resolved: case folding is applied to the sets, `.` is a set, `^`/`$` are
/// the assertion that the flags give them. Greediness is dropped: a boolean search does not
/// depend on it. The parser builds a tree only when asked (``RE2Dialect/tree(_:)``), and only
/// up to ``RE2Parser/maxTreeNesting`` nested groups, so that building, compiling and freeing
/// it cannot exhaust a thread's stack.
enum RegexNode: Sendable {
  /// Matches the empty string.
  case empty
  /// Matches one code point from the set (an empty set matches nothing).
  case set(RE2CharacterSet)
  /// Matches the empty string where the assertion holds.
  case assertion(RegexAssertion)
  /// The nodes one after another.
  case concatenation([RegexNode])
  /// Any one of the nodes.
  case alternation([RegexNode])
  /// The node `min` to `max` times (`max` nil: unbounded).
  indirect case repetition(RegexNode, min: Int, max: Int?)
}

/// RE2's zero-width assertions.
enum RegexAssertion: UInt8, Sendable {
  /// `\A`, or `^` without `(?m)`.
  case beginText
  /// `\z`, or `$` without `(?m)`.
  case endText
  /// `(?m)^`: at the start or after `\n`.
  case beginLine
  /// `(?m)$`: at the end or before `\n`.
  case endLine
  /// `\b` (ASCII word characters).
  case wordBoundary
  /// `\B`.
  case notWordBoundary
}
