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
