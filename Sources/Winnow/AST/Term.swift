/// A term of the filter language: a combinator or a test of one field.
///
/// Terms carry no source positions: every error is reported while parsing, so equality is
/// structural and `parse(print(f)) == f` is a plain `==`.
public indirect enum Term: Hashable, Sendable {
  /// True when every term is (checked left to right, stopping at the first false).
  case and([Term])
  /// True when any term is (checked left to right, stopping at the first true).
  case or([Term])
  /// True when the term is false.
  case not(Term)
  /// A test of the value at a field.
  case field(FieldPath, FieldTest)
}

/// What a `field=` term asks of the value at its field.
public enum FieldTest: Hashable, Sendable {
  /// The field is present (`null` counts as present).
  case exists
  /// The value is present and JSON-equal to the operand.
  case eq(JSONValue)
  /// `Not(Eq(x))`: true when the field is missing.
  case ne(JSONValue)
  /// The value is a string in which the RE2 pattern matches somewhere.
  case re(RE2Pattern)
  /// `Or(Eq(a), Eq(b), ...)`.
  case `in`([JSONValue])
  /// `Not(In(...))`: true when the field is missing.
  case nin([JSONValue])
  /// The field changed between `Original` and `Object` (events), optionally from and to given
  /// values; on plain JSON, the value equals `to` when it is given.
  case changed(from: JSONValue?, to: JSONValue?)
}
