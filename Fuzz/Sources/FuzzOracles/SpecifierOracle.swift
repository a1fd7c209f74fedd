// `ReferenceInterpreter` has `package` access: reached through `@testable import` (see RegexOracle).
@testable import Winnow

/// The oracle of FuzzSpecifier: what the event-specifier parser must do with any bytes.
///
/// - The byte entry point and the `String` one agree on valid UTF-8.
/// - It accepts exactly what ``ReferenceSpecifier`` (SPEC section 2, written out plainly:
///   split at the first three dots, then check each entry) accepts, with the same error code,
///   and an error inside the filter part is the filter parser's error moved to its place.
/// - An accepted specifier has the reference's type, action and key values and filter, prints
///   `type.action.key[.filter canonical form]`, and that text parses back to an equal
///   specifier with the same parts, printing the same again.
/// - Matching agrees with a plain reading of SPEC section 2 (with ``ReferenceInterpreter`` for
///   the filter) on events built from the specifier's own values, so that they can match.
///
/// Returns nil when every check holds, or a message naming the first that failed.
public func checkSpecifierText(_ bytes: [UInt8]) -> String? {
  let parsed = parseSpecifier(bytes)
  if let text = String(validating: bytes, as: UTF8.self) {
    let viaString = Result { () throws(Diagnostic) in try EventSpecifier(parsing: text) }
    guard viaString == parsed else {
      return "EventSpecifier(parsing:) gives \(viaString), (parsingUTF8:) gives \(parsed)"
    }
  }
  let expected = ReferenceSpecifier.parse(bytes)
  switch (parsed, expected) {
  case (.failure(let error), .failure(let reference)):
    guard (0...bytes.count).contains(error.offset) else {
      return "error offset \(error.offset) outside 0...\(bytes.count): \(error.message)"
    }
    guard error.code == reference.code else {
      return "error \(error.code) (\(error.message)), the reference expects \(reference.code)"
    }
    // The filter parser's error in place (the message may go on with a hint about dotted keys).
    if let filterError = reference.filterError,
      filterError.code != error.code || filterError.offset != error.offset
        || !error.message.hasPrefix(filterError.message)
    {
      return "filter error \(error) is not the filter parser's \(filterError)"
    }
    return nil
  case (.failure(let error), .success):
    return "rejected what the reference accepts: \(error.message) at \(error.offset)"
  case (.success(let specifier), .failure(let reference)):
    return "accepted \(specifier.canonicalText), the reference expects \(reference.code)"
  case (.success(let specifier), .success(let reference)):
    guard specifier.types == reference.types, specifier.actions == reference.actions,
      specifier.keys == reference.keys, specifier.filter == reference.filter
    else {
      return
        "parts \(specifier.types) \(specifier.actions) \(specifier.keys) \(String(describing: specifier.filter)), "
        + "the reference reads \(reference)"
    }
    guard specifier.canonicalText == reference.canonicalText else {
      return "canonical text \(specifier.canonicalText), expected \(reference.canonicalText)"
    }
    guard let reparsed = try? EventSpecifier(parsing: specifier.canonicalText) else {
      return "canonical text \(specifier.canonicalText) does not parse"
    }
    guard reparsed == specifier, reparsed.types == specifier.types,
      reparsed.actions == specifier.actions, reparsed.keys == specifier.keys,
      reparsed.filter == specifier.filter, reparsed.canonicalText == specifier.canonicalText
    else {
      return "canonical text \(specifier.canonicalText) parses to another specifier"
    }
    return checkMatching(specifier, reference)
  }
}

func parseSpecifier(_ bytes: [UInt8]) -> Result<EventSpecifier, Diagnostic> {
  bytes.withUnsafeBufferPointer { buffer in
    Result { () throws(Diagnostic) in try EventSpecifier(parsingUTF8: buffer) }
  }
}

/// Events that share the specifier's first values (and some that do not), as jobs and not.
func checkMatching(_ specifier: EventSpecifier, _ reference: ReferenceSpecifier) -> String? {
  func first(_ part: EventSpecifier.Part, _ otherwise: String) -> [String] {
    if case .values(let values) = part { return [values[0], values.last!, otherwise] }
    return [otherwise]
  }
  var events: [JSONValue] = []
  for type in first(specifier.types, "machines") + ["jobs"] {
    for action in first(specifier.actions, "save") {
      for key in first(specifier.keys, "k").prefix(2) {
        let object: JSONValue = [
          "Machine": .string(key), "WorkOrder": .string(key), "Stage": "discover",
        ]
        events.append([
          "Type": .string(type), "Action": .string(action), "Key": .string(key), "Object": object,
          "Original": ["Stage": "none"],
        ])
        events.append(["Type": .string(type), "Action": .string(action), "Key": .string(key)])
      }
    }
  }
  for value in events {
    let event = try! Event(value)
    let expected = reference.matches(value)
    guard specifier.matches(event) == expected else {
      return "\(specifier.canonicalText) on \(value.minified): the reference says \(expected)"
    }
  }
  return nil
}

/// SPEC section 2 read plainly: the specifier split at its first three dots, each part `*` or
/// a comma-separated list of entries with the escapes `\1 \2 \3`, then an optional filter.
public struct ReferenceSpecifier: CustomStringConvertible {
  var types: EventSpecifier.Part
  var actions: EventSpecifier.Part
  var keys: EventSpecifier.Part
  var filter: Filter?
  var canonicalText: String

  public var description: String { "\(types) \(actions) \(keys) \(String(describing: filter))" }

  /// Why a text is not a specifier; for an error in the filter part, the filter parser's own
  /// diagnostic moved to where the filter starts.
  struct Failure: Error {
    var code: Diagnostic.Code
    var filterError: Diagnostic? = nil
  }

  static func parse(_ bytes: [UInt8]) -> Result<ReferenceSpecifier, Failure> {
    guard bytes.count <= ParseLimits().maxBytes else {
      return .failure(Failure(code: .limitExceeded))
    }
    guard String(validating: bytes, as: UTF8.self) != nil else {
      return .failure(Failure(code: .invalidEncoding))
    }
    let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }.prefix(3)
    guard dots.count >= 2 else { return .failure(Failure(code: .invalidSpecifier)) }
    let ends = Array(dots) + (dots.count == 2 ? [bytes.count] : [])
    var parts: [EventSpecifier.Part] = []
    var start = 0
    for end in ends {
      guard let part = self.part(Array(bytes[start..<end])) else {
        return .failure(Failure(code: .invalidSpecifier))
      }
      parts.append(part)
      start = end + 1
    }
    let header = String(decoding: bytes[..<ends[2]], as: UTF8.self)
    var filter: Filter? = nil
    var canonical = header
    if ends[2] < bytes.count {
      let filterStart = ends[2] + 1
      guard filterStart < bytes.count else { return .failure(Failure(code: .invalidSpecifier)) }
      do {
        filter = try Filter(parsing: String(decoding: bytes[filterStart...], as: UTF8.self))
      } catch {
        return .failure(Failure(code: error.code, filterError: error.shifted(by: filterStart)))
      }
      canonical += "." + filter!.canonicalText
    }
    return .success(
      ReferenceSpecifier(
        types: parts[0], actions: parts[1], keys: parts[2], filter: filter, canonicalText: canonical
      ))
  }

  /// `*`, or entries separated by `,`: non-empty, not a bare `*`, no whitespace, `\` only in `\1`
  /// (`.`), `\2` (`,`) and `\3` (`*`).
  ///
  /// Nil when the part is invalid.
  static func part(_ bytes: [UInt8]) -> EventSpecifier.Part? {
    if bytes == [UInt8(ascii: "*")] { return .any }
    var values: [String] = []
    for entry in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
      guard !entry.isEmpty, Array(entry) != [UInt8(ascii: "*")] else { return nil }
      var value = ""
      var escaped = false
      for scalar in String(decoding: entry, as: UTF8.self).unicodeScalars {
        if escaped {
          switch scalar {
          case "1": value += "."
          case "2": value += ","
          case "3": value += "*"
          default: return nil
          }
          escaped = false
        } else if scalar == "\\" {
          escaped = true
        } else if scalar.properties.isWhitespace {
          return nil
        } else {
          value.unicodeScalars.append(scalar)
        }
      }
      guard !escaped else { return nil }
      values.append(value)
    }
    return .values(values)
  }

  /// Whether an event matches (SPEC section 2; values compare as UTF-8 bytes).
  func matches(_ event: JSONValue) -> Bool {
    func text(_ value: JSONValue?) -> String? {
      if case .string(let s)? = value { return s }
      return nil
    }
    func contains(_ part: EventSpecifier.Part, _ value: String?) -> Bool {
      guard case .values(let values) = part else { return true }
      guard let value else { return false }
      return values.contains { $0.utf8.elementsEqual(value.utf8) }
    }
    let type = text(event["Type"]) ?? ""
    guard contains(actions, text(event["Action"]) ?? "") else { return false }
    var typeAndKey: Bool
    switch types {
    case .any:
      typeAndKey = contains(keys, text(event["Key"]) ?? "")
    case .values(let values):
      func isEntry(_ name: String) -> Bool { values.contains { $0.utf8.elementsEqual(name.utf8) } }
      let ordinary = values.filter {
        !$0.utf8.elementsEqual(EventSpecifier.machineJobs.utf8)
          && !$0.utf8.elementsEqual(EventSpecifier.workOrderJobs.utf8)
      }
      typeAndKey = contains(.values(ordinary), type) && contains(keys, text(event["Key"]) ?? "")
      if !typeAndKey, type == "jobs" {
        let object = event["Object"]
        typeAndKey =
          (isEntry(EventSpecifier.machineJobs) && contains(keys, text(object?["Machine"])))
          || (isEntry(EventSpecifier.workOrderJobs) && contains(keys, text(object?["WorkOrder"])))
      }
    }
    guard typeAndKey else { return false }
    guard let filter else { return true }
    return ReferenceInterpreter.evaluate(filter.term, on: event, asEvent: true)
  }
}
