// The term tree as text, for `winnow explain`.

extension Term {
  /// The term tree, one term per line and every line ending in a newline: combinators by name,
  /// field terms in canonical form, each operand indented two spaces under its combinator.
  ///
  ///     And
  ///       Type=Eq("machines")
  ///       Not
  ///         Object.Params.bar=Exists()
  var treeDescription: String {
    var out: [UInt8] = []
    writeTree(to: &out, indent: 0)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the tree of this term, its first line indented by `indent` levels.
  func writeTree(to out: inout [UInt8], indent: Int) {
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    let operands: [Term]
    switch self {
    case .and(let terms):
      out.append(contentsOf: "And".utf8)
      operands = terms
    case .or(let terms):
      out.append(contentsOf: "Or".utf8)
      operands = terms
    case .not(let term):
      out.append(contentsOf: "Not".utf8)
      operands = [term]
    case .field:
      writeCanonical(to: &out)
      operands = []
    }
    out.append(UInt8(ascii: "\n"))
    for operand in operands { operand.writeTree(to: &out, indent: indent + 1) }
  }
}
