/// A parsed filter: the term it consists of.
///
/// Two filters are equal when their terms are, so filters that differ only in whitespace, in
/// empty trailing `Changed` slots or in how numbers equal as floats are written compare equal.
/// Printing gives the canonical form, which parses back to an equal filter.
public struct Filter: Hashable, Sendable, CustomStringConvertible {
  /// The outermost term.
  public let term: Term

  /// Wraps a term built in code.
  public init(_ term: Term) {
    self.term = term
  }

  /// Parses filter text (SPEC section 3); throws the first error found.
  public init(parsing text: String, limits: ParseLimits = ParseLimits()) throws(Diagnostic) {
    term = try Array(text.utf8).withUnsafeBufferPointer { bytes throws(Diagnostic) in
      try FilterParser.parse(bytes, limits: limits)
    }
  }

  /// Parses filter text given as UTF-8 bytes, which may be invalid (an invalid byte is
  /// reported as ``Diagnostic/Code/invalidEncoding``).
  public init(parsingUTF8 bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits = ParseLimits())
    throws(Diagnostic)
  {
    term = try FilterParser.parse(bytes, limits: limits)
  }

  /// The canonical form: no whitespace outside values, minified values, fields as written.
  public var canonicalText: String { term.canonicalText }

  /// The term tree, one term per line, indented two spaces per level (for `winnow explain`).
  public var treeDescription: String { term.treeDescription }

  public var description: String { canonicalText }
}
