import Testing
import Winnow

@testable import WinnowOpenIAP

/// A watch request and the specifiers it must become.
struct WatchSpecifierCase: Sendable, CustomTestStringConvertible {
  let name: String
  let collection: String
  let paths: [String]
  let specifiers: [String]
  var testDescription: String { name }
}

/// A watch request whose path is invalid, and where the error must point.
struct WatchErrorCase: Sendable, CustomTestStringConvertible {
  let name: String
  let paths: [String]
  let pathIndex: Int
  let column: Int
  var testDescription: String { name }
}

/// A watch and the sample events it must deliver (by index), each once.
struct WatchMatchCase: Sendable, CustomTestStringConvertible {
  let name: String
  let collection: String
  let paths: [String]
  let delivered: Set<Int>
  var testDescription: String { name }
}

@Suite struct WatchRequestTests {
  static let specifierCases: [WatchSpecifierCase] = [
    WatchSpecifierCase(
      name: "a collection, no paths", collection: "machines", paths: [],
      specifiers: ["machines.*.*"]),
    WatchSpecifierCase(
      name: "empty collection: any type", collection: "", paths: [], specifiers: ["*.*.*"]),
    WatchSpecifierCase(
      name: "star collection: any type", collection: "*", paths: [], specifiers: ["*.*.*"]),
    WatchSpecifierCase(
      name: "one specifier per path, canonical filters", collection: "machines",
      paths: [#"Object.Name = Eq( "a" )"#, #"Action=In("save","delete")"#],
      specifiers: [
        #"machines.*.*.Object.Name=Eq("a")"#, #"machines.*.*.Action=In("save","delete")"#,
      ]),
    WatchSpecifierCase(
      name: "dots, commas and stars escaped", collection: "a.b,c*", paths: [],
      specifiers: [#"a\1b\2c\3.*.*"#]),
    WatchSpecifierCase(
      name: "whitespace in the name: compared by a Type term", collection: "my coll", paths: [],
      specifiers: [#"*.*.*.Type=Eq("my coll")"#]),
    WatchSpecifierCase(
      name: "a backslash in the name: compared by a Type term", collection: #"a\b"#,
      paths: ["X=Exists()"],
      specifiers: [#"*.*.*.And(Type=Eq("a\\b"),X=Exists())"#]),
    WatchSpecifierCase(
      name: "machine_jobs is a plain type here", collection: "machine_jobs", paths: [],
      specifiers: [#"*.*.*.Type=Eq("machine_jobs")"#]),
  ]

  @Test(arguments: specifierCases)
  func buildsSpecifiers(_ c: WatchSpecifierCase) throws {
    let watch = try WatchRequest(collectionName: c.collection, paths: c.paths)
    let expected = try c.specifiers.map { try EventSpecifier(parsing: $0).canonicalText }
    #expect(watch.specifiers.map(\.canonicalText) == expected)
  }

  static let errorCases: [WatchErrorCase] = [
    WatchErrorCase(name: "unknown test name", paths: ["Name=Foo(1)"], pathIndex: 0, column: 6),
    WatchErrorCase(
      name: "the second path is named", paths: ["Name=Eq(1)", "And(Name=Eq(1)"], pathIndex: 1,
      column: 15),
    WatchErrorCase(name: "an empty path", paths: [""], pathIndex: 0, column: 1),
    WatchErrorCase(
      name: "columns count characters, not bytes", paths: [#"Ünïcödé=Eq("x""#], pathIndex: 0,
      column: 15),
    WatchErrorCase(
      name: "a regex outside RE2", paths: [#"Key=Re("(?=a)")"#], pathIndex: 0, column: 9),
  ]

  @Test(arguments: errorCases)
  func namesThePathAndColumn(_ c: WatchErrorCase) throws {
    let error = try #require(throws: WatchError.self) {
      try WatchRequest(collectionName: "machines", paths: c.paths)
    }
    #expect(error.pathIndex == c.pathIndex)
    #expect(error.column == c.column)
    let message = error.description
    #expect(message.contains(JSONValue.string(c.paths[c.pathIndex]).minified))
    #expect(message.contains("paths[\(c.pathIndex)]"))
    #expect(message.contains("column \(c.column)"))
  }

  @Test func pathsBeyondTheParseLimitAreRefused() throws {
    let long = "Name=In(" + Array(repeating: "1", count: 2_000).joined(separator: ",") + ")"
    let error = try #require(throws: WatchError.self) {
      try WatchRequest(collectionName: "*", paths: [long], limits: ParseLimits(maxBytes: 1_000))
    }
    #expect(error.diagnostic.code == .limitExceeded)
  }

  static let events: [String] = [
    #"{"Type":"machines","Action":"save","Key":"m1","Object":{"Name":"a","Runnable":true}}"#,
    #"{"Type":"machines","Action":"delete","Key":"m2","Object":{"Name":"b"}}"#,
    #"{"Type":"profiles","Action":"save","Key":"p","Object":{"Name":"a"}}"#,
    #"{"Type":"my.coll","Action":"create","Key":"k"}"#,
    #"{"Type":"my coll","Action":"create","Key":"k"}"#,
    #"{"Type":"jobs","Action":"create","Key":"j","Object":{"Machine":"m1"}}"#,
    #"{"Type":"machine_jobs","Action":"create","Key":"x"}"#,
  ]

  static let matchCases: [WatchMatchCase] = [
    WatchMatchCase(name: "a collection", collection: "machines", paths: [], delivered: [0, 1]),
    WatchMatchCase(name: "any collection", collection: "", paths: [], delivered: Set(0..<7)),
    WatchMatchCase(
      name: "a filter over any collection", collection: "*", paths: [#"Object.Name=Eq("a")"#],
      delivered: [0, 2]),
    WatchMatchCase(
      name: "any path matches, delivered once", collection: "machines",
      paths: [#"Object.Name=Eq("a")"#, #"Action=Eq("delete")"#, "Key=Re(\"^m\")"],
      delivered: [0, 1]),
    WatchMatchCase(name: "an escaped collection", collection: "my.coll", paths: [], delivered: [3]),
    WatchMatchCase(
      name: "a collection with a space", collection: "my coll", paths: [], delivered: [4]),
    WatchMatchCase(
      name: "machine_jobs is only the type", collection: "machine_jobs", paths: [], delivered: [6]),
    WatchMatchCase(
      name: "a boolean field", collection: "machines", paths: ["Object.Runnable=Eq(true)"],
      delivered: [0]),
    WatchMatchCase(name: "nothing", collection: "nosuch", paths: [], delivered: []),
  ]

  /// Registered in the library's registry under one subscriber per watch, as the hub does.
  @Test(arguments: matchCases)
  func deliversThroughTheRegistry(_ c: WatchMatchCase) throws {
    let registry = SubscriptionRegistry<String>()
    let watch = try WatchRequest(collectionName: c.collection, paths: c.paths)
    for specifier in watch.specifiers { registry.register(specifier, for: "w1") }
    // Another watch of the same connection must not add deliveries to this one.
    registry.register(try EventSpecifier(parsing: "*.*.*"), for: "w2")
    var delivered: Set<Int> = []
    for (index, text) in Self.events.enumerated() {
      let subscribers = registry.subscribers(matching: try Event(parsing: text))
      #expect(subscribers.filter { $0 == "w1" }.count <= 1)
      if subscribers.contains("w1") { delivered.insert(index) }
    }
    #expect(delivered == c.delivered)
    #expect(registry.deregisterAll(for: "w1") == max(c.paths.count, 1))
  }
}
