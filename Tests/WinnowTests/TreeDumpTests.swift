import Testing

@testable import Winnow

/// A filter and its term tree.
struct TreeCase: Sendable, CustomTestStringConvertible {
  let name: String
  let filter: String
  let tree: String
  var testDescription: String { name }
}

@Suite struct TreeDumpTests {
  static let cases: [TreeCase] = [
    TreeCase(name: "leaf", filter: #" Type = Eq( "machines" ) "#, tree: "Type=Eq(\"machines\")\n"),
    TreeCase(
      name: "example of the brief",
      filter: #"And(Type=Eq("machines"), Not(Object.Params.bar=Exists()))"#,
      tree: """
        And
          Type=Eq("machines")
          Not
            Object.Params.bar=Exists()

        """),
    TreeCase(
      name: "deeper nesting", filter: #"Or(a=In(1, 2), And(Not(b=Changed(,)), c=Re("x")))"#,
      tree: """
        Or
          a=In(1,2)
          And
            Not
              b=Changed()
            c=Re("x")

        """),
  ]

  @Test(arguments: cases)
  func dumpsOneTermPerLine(_ c: TreeCase) throws {
    #expect(try Filter(parsing: c.filter).treeDescription == c.tree)
  }
}
