import Winnow

/// The oracle of FuzzJSON: what the JSON parser must do with any bytes.
///
/// - It accepts exactly what ``ReferenceJSON`` accepts, at the default depth limit and at a
///   small one; a document rejected only for its depth is rejected with `.limitExceeded` at the
///   opening bracket of the container that went too deep.
/// - An accepted document prints (`value.minified`) byte for byte as the reference prints its
///   own reading: same string decoding, number lexemes, member order and duplicate-key rule.
/// - Printed text parses back to an equal value and prints the same again (idempotence), and
///   `JSONDocument(value)` holds an equal value.
/// - Every error carries an offset inside the input (`0...count`, the end for a truncated text).
/// - An accepted object reads as an ``Event`` exactly when its `Type`, `Action`, `Key`, `Time`
///   and `Principal` members are strings, `null` or missing.
///
/// Returns nil when every check holds, or a message naming the first that failed.
public func checkJSONDocument(_ bytes: [UInt8]) -> String? {
  for maxDepth in [512, 3] {
    if let failure = checkJSONDocument(bytes, maxDepth: maxDepth) {
      return "maxDepth \(maxDepth): \(failure)"
    }
  }
  return nil
}

func checkJSONDocument(_ bytes: [UInt8], maxDepth: Int) -> String? {
  let expected = ReferenceJSON.parse(bytes, maxDepth: maxDepth)
  let document: JSONDocument
  do {
    document = try JSONDocument(parsing: bytes, limits: JSONLimits(maxDepth: maxDepth))
  } catch {
    guard (0...bytes.count).contains(error.offset) else {
      return "error offset \(error.offset) outside 0...\(bytes.count): \(error.message)"
    }
    switch expected {
    case .success(let value):
      return "rejected (\(error.message) at \(error.offset)) what the reference reads as "
        + String(decoding: value.minified, as: UTF8.self)
    case .failure(.tooDeep(let at)):
      guard error.code == .limitExceeded, error.offset == at else {
        return
          "expected limitExceeded at \(at), got \(error.code) at \(error.offset): \(error.message)"
      }
    case .failure(.syntax):
      guard error.code != .limitExceeded else {
        return "limitExceeded at \(error.offset) for a text the reference rejects for its syntax"
      }
    }
    return nil
  }
  guard case .success(let reference) = expected else {
    return "accepted what the reference rejects (\(expected))"
  }
  let value = document.value
  let printed = Array(value.minified.utf8)
  guard printed == reference.minified else {
    return "printed \(String(decoding: printed, as: UTF8.self)), the reference prints "
      + String(decoding: reference.minified, as: UTF8.self)
  }
  // Printed text must read back (whatever the depth limit it was read under) to the same value.
  let unlimited = JSONLimits(maxDepth: max(reference.depth, maxDepth))
  guard let reparsed = try? JSONDocument(parsing: printed, limits: unlimited) else {
    return "printed text does not parse: \(String(decoding: printed, as: UTF8.self))"
  }
  guard reparsed.value == value else { return "printed text parses to another value" }
  guard Array(reparsed.value.minified.utf8) == printed else { return "printing is not idempotent" }
  let converted = JSONDocument(value)
  guard converted.value == value, converted.kind == document.kind else {
    return "JSONDocument(value) holds another value"
  }
  return checkEventReading(document, reference)
}

/// An object is an event exactly when its string members are strings, `null` or missing.
func checkEventReading(_ document: JSONDocument, _ reference: ReferenceJSON) -> String? {
  let reading = Result { () throws(Diagnostic) in try Event(document: document) }
  let event = try? reading.get()
  guard case .object(let members) = reference else {
    return event == nil ? nil : "a document that is not an object was read as an event"
  }
  let stringMembers: Set<[UInt8]> = Set(
    ["Type", "Action", "Key", "Time", "Principal"].map { Array($0.utf8) })
  var text: [String: String] = [:]
  var valid = true
  for member in members where stringMembers.contains(member.key) {
    switch member.value {
    case .string(let s):
      text[String(decoding: member.key, as: UTF8.self)] = String(decoding: s, as: UTF8.self)
    case .null: break
    default: valid = false
    }
  }
  guard let event else {
    guard case .failure(let error) = reading, valid else { return nil }
    return "a valid event was rejected: \(error.message) at \(error.offset)"
  }
  guard valid else {
    return "an event with a non-string Type/Action/Key/Time/Principal was accepted"
  }
  guard event.type == text["Type", default: ""], event.action == text["Action", default: ""],
    event.key == text["Key", default: ""]
  else {
    return "event fields read as \(event.type)/\(event.action)/\(event.key), expected \(text)"
  }
  return nil
}
