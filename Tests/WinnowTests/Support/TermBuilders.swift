@testable import Winnow

/// A field term, for tests that build terms without the parser.
func field(_ path: String, _ test: FieldTest) -> Term {
  .field(try! FieldPath(parsing: path), test)
}

/// Parses JSON text in tests, where the text is known to be valid.
func json(_ text: String) -> JSONValue {
  try! JSONValue(parsing: text)
}
