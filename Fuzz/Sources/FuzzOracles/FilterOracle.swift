// `ReferenceInterpreter` has `package` access: reached through `@testable import` (see RegexOracle).
@testable import Winnow

/// The oracle of FuzzFilter: what the filter parser must do with any bytes.
///
/// - The byte entry point and the `String` one agree on valid UTF-8 (same filter, same error).
/// - A rejected text has one diagnostic with an offset inside the input (`0...count`).
/// - An accepted filter prints (`canonicalText`) to text that parses back to an equal filter
///   and prints the same again; its tree dump does not trap; the compiled filter agrees with
///   ``ReferenceInterpreter`` on a sample event, under the plain and the event rules.
/// - Limits: under tighter limits the parser either gives the same answer or fails with
///   `.limitExceeded` no later than the error (if any) it gives under the defaults; a text
///   longer than `maxBytes` is `.limitExceeded`.
///
/// Returns nil when every check holds, or a message naming the first that failed.
public func checkFilterText(_ bytes: [UInt8]) -> String? {
  let parsed = parseFilter(bytes, limits: ParseLimits())
  if let text = String(validating: bytes, as: UTF8.self) {
    let viaString = Result { () throws(Diagnostic) in try Filter(parsing: text) }
    guard viaString == parsed else {
      return "Filter(parsing:) gives \(viaString), Filter(parsingUTF8:) gives \(parsed)"
    }
  }
  switch parsed {
  case .failure(let error):
    guard (0...bytes.count).contains(error.offset) else {
      return "error offset \(error.offset) outside 0...\(bytes.count): \(error.message)"
    }
    if let failure = checkRendering(error, in: bytes) { return failure }
  case .success(let filter):
    if let failure = checkRoundTrip(filter) { return failure }
    if let failure = checkEvaluation(filter.term) { return failure }
  }
  return checkLimits(bytes, defaultResult: parsed)
}

func parseFilter(_ bytes: [UInt8], limits: ParseLimits) -> Result<Filter, Diagnostic> {
  bytes.withUnsafeBufferPointer { buffer in
    Result { () throws(Diagnostic) in try Filter(parsingUTF8: buffer, limits: limits) }
  }
}

/// parse(print(f)) == f, and printing is idempotent.
func checkRoundTrip(_ filter: Filter) -> String? {
  let printed = filter.canonicalText
  let reparsed: Filter
  do {
    reparsed = try Filter(parsing: printed)
  } catch {
    return "canonical text \(printed) does not parse: \(error.message) at \(error.offset)"
  }
  guard reparsed == filter else { return "canonical text \(printed) parses to another filter" }
  guard reparsed.canonicalText == printed else {
    return "printing is not idempotent: \(printed) then \(reparsed.canonicalText)"
  }
  _ = filter.treeDescription
  return nil
}

/// A machine event with the members filters most often read, and a copy with no `Original`.
let sampleEvents: [JSONValue] = [
  #"{"Time":"2017-12-21T23:26:43Z","Type":"machines","Action":"save","Key":"3e7031fe","Principal":"user:rocketskates","Object":{"Name":"node-1.lab","Stage":"discover","Params":{"a.b":1,"x/y":[1,"2",null,true],"é":"e\u0301","":{}},"Runnable":true,"Tags":["a","b"]},"Original":{"Name":"node-1.lab","Stage":"none","Params":{"a.b":1.0},"Runnable":false}}"#,
  #"{"Type":"machines","Action":"create","Key":"k","Object":{"Stage":"discover","Params":{"a":"x"}},"Original":null}"#,
].map { try! JSONValue(parsing: $0) }

/// The compiled filter and the reference interpreter agree on the sample events.
func checkEvaluation(_ term: Term) -> String? {
  let compiled = CompiledFilter(Filter(term))
  for value in sampleEvents {
    let document = JSONDocument(value)
    let plain = ReferenceInterpreter.evaluate(term, on: value, asEvent: false)
    guard compiled.matches(document) == plain else {
      return
        "compiled \(term.canonicalText) gives \(!plain) on a plain document, reference \(plain)"
    }
    let event = try! Event(document: document)
    let asEvent = ReferenceInterpreter.evaluate(term, on: value, asEvent: true)
    guard compiled.matches(event) == asEvent else {
      return "compiled \(term.canonicalText) gives \(!asEvent) on an event, reference \(asEvent)"
    }
  }
  return nil
}

/// Tighter limits never change an answer except into an earlier `.limitExceeded`.
func checkLimits(_ bytes: [UInt8], defaultResult: Result<Filter, Diagnostic>) -> String? {
  let tight = ParseLimits(maxDepth: 4, maxTerms: 8, maxJSONDepth: 3)
  let limited = parseFilter(bytes, limits: tight)
  switch (limited, defaultResult) {
  case (.success(let a), .success(let b)):
    guard a == b else { return "tight limits give another filter" }
  case (.success, .failure(let error)):
    return "accepted under tight limits, rejected under the defaults: \(error.message)"
  case (.failure(let error), .success):
    guard error.code == .limitExceeded else {
      return "tight limits reject a valid filter with \(error.code): \(error.message)"
    }
  case (.failure(let error), .failure(let loose)):
    if error.code == .limitExceeded {
      guard error.offset <= loose.offset else {
        return "limit reported at \(error.offset), after the error at \(loose.offset)"
      }
    } else if error != loose {
      return "tight limits give \(error), the defaults \(loose)"
    }
  }
  if bytes.count > 0 {
    let short = parseFilter(bytes, limits: ParseLimits(maxBytes: bytes.count - 1))
    guard case .failure(let error) = short, error.code == .limitExceeded else {
      return "a text longer than maxBytes did not give limitExceeded: \(short)"
    }
  }
  return nil
}

/// A diagnostic renders as `filter:L:C: error: message`, the line, and a caret under column C.
///
/// A line longer than `LocatedDiagnostic.excerptLimit` is shown cut to a window around the caret:
/// the caret must then stand under the same character of the line.
func checkRendering(_ error: Diagnostic, in bytes: [UInt8]) -> String? {
  let source = SourceText(bytes: bytes)
  let (line, column) = source.location(ofOffset: error.offset)
  // Split the bytes, not the Characters: a CR ending the shown line joins the LF after it
  // into one Character ("\r\n").
  let rendered = Array(source.render(error).utf8).split(
    separator: 0x0A, omittingEmptySubsequences: false
  )
  .map { String(decoding: $0, as: UTF8.self) }
  // Bytes, not Characters, again: a combining mark opening the line joins the indent.
  guard rendered.count == 3,
    rendered[0].utf8.starts(with: "filter:\(line):\(column): error: ".utf8),
    rendered[1].utf8.starts(with: "  ".utf8), rendered[2].utf8.count >= 3,
    rendered[2].utf8.last == UInt8(ascii: "^"),
    rendered[2].utf8.dropLast().allSatisfy({ $0 == UInt8(ascii: " ") })
  else {
    return "rendering of \(error) is malformed: \(rendered)"
  }
  let lineScalars = Array(source.lineText(line).unicodeScalars.map { $0 == "\t" ? " " : $0 })
  let shown = Array(rendered[1].unicodeScalars.dropFirst(2))
  let caretColumn = rendered[2].utf8.count - 2
  if lineScalars.count <= LocatedDiagnostic.excerptLimit {
    guard shown == lineScalars, caretColumn == column else {
      return "rendering of \(error) shows a short line other than it is: \(rendered)"
    }
    return nil
  }
  let underCaret = caretColumn <= shown.count ? shown[caretColumn - 1] : nil
  let atColumn = column <= lineScalars.count ? lineScalars[column - 1] : nil
  guard shown.count <= LocatedDiagnostic.excerptLimit + 2, underCaret == atColumn else {
    return "rendering of \(error) cuts a long line away from the caret: \(rendered)"
  }
  return nil
}
