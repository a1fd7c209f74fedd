import Foundation
import Testing

@Suite struct CheckCommandTests {
  @Test func validInputsPrintNothing() throws {
    let run = try Winnow.run([
      "check", #"And(Type=Eq("machines"),Object.Stage=Changed())"#, "b = Exists()",
    ])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.isEmpty && run.stderr.isEmpty)
  }

  @Test func canonicalFormsOnRequest() throws {
    let run = try Winnow.run(["check", "--canonical", #"And( a = Eq( [1, 2] ) , b=Changed(,) )"#])
    #expect(run.status == 0)
    #expect(run.stdout == "And(a=Eq([1,2]),b=Changed())\n")
  }

  @Test func errorsAsTheSpecShowsThem() throws {
    let run = try Winnow.run([
      "check", "a=eq(1)", "And(a=Exists()", "a=Exists()", "and(a=Eq(1))",
      "And(\n  a=Eq(1)\n  b=Eq(2))",
    ])
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    #expect(!run.stderr.contains("\u{1B}"), "no colour when standard error is not a terminal")
    expectSnapshot(run.stderr, named: "check-errors")
  }

  @Test func specifiersAreNamedSpecifier() throws {
    let run = try Winnow.run([
      "check", "--specifier", "machines.save.*", "machines..*", #"a.b.c.d=eq(1)"#,
    ])
    #expect(run.status == 2)
    expectSnapshot(run.stderr, named: "check-specifier-errors")
  }

  @Test func jsonFormat() throws {
    let run = try Winnow.run(["check", "--format", "json", "a=eq(1)", "b = Exists()", "c=Eq(1"])
    #expect(run.status == 2)
    #expect(run.stderr.isEmpty)
    let objects = try run.stdoutLines.map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    #expect(objects.count == 3)
    #expect(objects[0]["input"] as? String == "a=eq(1)")
    #expect(objects[0]["valid"] as? Bool == false)
    #expect(objects[0]["code"] as? String == "unknownName")
    #expect(
      objects[0]["message"] as? String
        == "unknown test 'eq' (the tests are Exists, Eq, Ne, Re, In, Nin, Changed)")
    #expect(objects[0]["line"] as? Int == 1)
    #expect(objects[0]["column"] as? Int == 3)
    #expect(objects[0]["offset"] as? Int == 2)
    #expect(objects[0]["suggestion"] as? String == "Eq")
    #expect(objects[0]["canonical"] == nil)
    #expect(objects[1]["valid"] as? Bool == true)
    #expect(objects[1]["canonical"] as? String == "b=Exists()")
    #expect(objects[1]["code"] == nil)
    #expect(objects[2]["code"] as? String == "unexpectedToken")
    #expect(objects[2]["suggestion"] == nil)
    #expect(
      run.stdoutLines[1] == #"{"input":"b = Exists()","valid":true,"canonical":"b=Exists()"}"#)
  }

  @Test func hundredThousandLevelsFromStandardInput() throws {
    let deep =
      String(repeating: "Not(", count: 100_000) + "a=Exists()"
      + String(repeating: ")", count: 100_000)
    let run = try Winnow.run(["check", "--format", "json", "-"], stdin: deep + "\n")
    #expect(run.status == 2)
    let object =
      try JSONSerialization.jsonObject(with: Data(run.stdoutLines[0].utf8)) as! [String: Any]
    #expect(object["code"] as? String == "limitExceeded")
    // The size limit is checked first: 65,536 bytes, so the error is just past them.
    #expect(object["column"] as? Int == 65_537)

    let text = try Winnow.run(["check", "-"], stdin: deep + "\n")
    #expect(text.status == 2)
    #expect(
      text.stderrLines.first == "<stdin>:1:65537: error: the filter is longer than 65536 bytes")
    #expect(text.stderr.utf8.count < 1_000, "a long line is shown as a window around the caret")
  }

  @Test func depthLimitFromStandardInput() throws {
    let ok =
      String(repeating: "Not(", count: 255) + "a=Exists()" + String(repeating: ")", count: 255)
    let deep =
      String(repeating: "Not(", count: 256) + "a=Exists()" + String(repeating: ")", count: 256)
    let run = try Winnow.run(["check", "--format", "json", "-"], stdin: ok + "\n" + deep + "\n")
    #expect(run.status == 2)
    #expect(run.stdoutLines.count == 2)
    #expect(run.stdoutLines[0].contains(#""valid":true"#))
    #expect(
      run.stdoutLines[1].contains(
        #""code":"limitExceeded","message":"terms are nested deeper than 256 levels","line":1,"column":1025,"offset":1024"#
      ))
  }

  @Test func standardInputLines() throws {
    // CRLF line ends, a blank line (skipped), and arguments around '-' in order.
    let run = try Winnow.run(
      ["check", "--canonical", "x=Exists()", "-", "y=Exists()"], stdin: "a = Eq(1)\r\n\n  \nb=Eq(2)"
    )
    #expect(run.status == 0, "\(run)")
    #expect(run.stdoutLines == ["x=Exists()", "a=Eq(1)", "b=Eq(2)", "y=Exists()"])
    let empty = try Winnow.run(["check", "-"], stdin: "")
    #expect(empty.status == 0 && empty.stdout.isEmpty && empty.stderr.isEmpty)
  }

  @Test func invalidUTF8() throws {
    var bytes = Data(#"a=Eq(""#.utf8)
    bytes.append(0xFF)
    bytes.append(contentsOf: Data(#"")"#.utf8) + Data("\n".utf8))
    let run = try Winnow.run(["check", "--format", "json", "-"], stdin: bytes)
    #expect(run.status == 2)
    #expect(run.stdout.contains(#""code":"invalidEncoding""#))
    #expect(run.stdout.contains(#""column":7,"offset":6"#))
  }

  @Test func doubleDashBeforeAFilterStartingWithADash() throws {
    let run = try Winnow.run(["check", "--canonical", "--", "-a=Exists()"])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout == "-a=Exists()\n")
    let without = try Winnow.run(["check", "-a=Exists()"])
    #expect(without.status == 2, "an unknown option is a usage error")
  }
}
