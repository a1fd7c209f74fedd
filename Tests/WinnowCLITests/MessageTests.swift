import Foundation
import Testing

/// The messages for the commonest mistakes (issue 18, point 6), one case each: what the user
/// typed, and the first line of standard error.
@Suite struct MessageTests {
  struct MessageCase: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    var stdin = ""
    /// A specifier file to create, passed where an argument is `SPECIFIER-FILE`.
    var specifierFile: String?
    let firstError: String
    var status: Int32 = 2
    var testDescription: String { name }
  }

  static let cases = [
    MessageCase(
      name: "a regex escape JSON rejects inside Re",
      arguments: ["check", #"Object.Name=Re("^node-\d+$")"#],
      firstError:
        #"filter:1:24: error: '\d' is not a JSON string escape: in the string of Re, a regex escape takes two backslashes, '\\d'; did you mean '"^node-\\d+$"'?"#
    ),
    MessageCase(
      name: "check - names the input line", arguments: ["check", "-"],
      stdin: "a=Exists()\n\nb=Eq(1)\n\nx=Eq(1 2)\n",
      firstError: "<stdin>:5:8: error: expected ')' after the arguments of Eq"),
    MessageCase(
      name: "check --specifier - names the input line", arguments: ["check", "--specifier", "-"],
      stdin: "machines.*.*\nmachines.save\n",
      firstError: "<stdin>:2:14: error: expected '.' and a key after the action"),
    MessageCase(
      name: "an unknown test lists the seven tests", arguments: ["check", "a=Foo(1)"],
      firstError:
        "filter:1:3: error: unknown test 'Foo' (the tests are Exists, Eq, Ne, Re, In, Nin, Changed)"
    ),
    MessageCase(
      name: "a misspelled command", arguments: ["mtach", "*.*.*"],
      firstError:
        "winnow: unknown command 'mtach'; did you mean 'match'? (the commands are check, eval, match, explain, serve, watch; see 'winnow --help')"
    ),
    MessageCase(
      name: "a command that is not close to any", arguments: ["frobnicate"],
      firstError:
        "winnow: unknown command 'frobnicate' (the commands are check, eval, match, explain, serve, watch; see 'winnow --help')"
    ),
    MessageCase(
      name: "-f with no specifiers", arguments: ["match", "-f", "SPECIFIER-FILE"],
      specifierFile: "# nothing yet\n\n   \n",
      firstError:
        "winnow: no specifiers in SPECIFIER-FILE (blank lines and '#' comments only); nothing could match"
    ),
  ]

  @Test(arguments: cases)
  func firstErrorLine(c: MessageCase) throws {
    let directory = try TemporaryDirectory()
    var arguments = c.arguments
    var expected = c.firstError
    if let text = c.specifierFile {
      let path = directory.file("specifiers.txt", text)
      arguments = arguments.map { $0 == "SPECIFIER-FILE" ? path : $0 }
      expected = expected.replacingOccurrences(of: "SPECIFIER-FILE", with: path)
    }
    let run = try Winnow.run(arguments, stdin: c.stdin)
    #expect(run.status == c.status, "\(run)")
    #expect(run.stderrLines.first == expected)
  }
}
