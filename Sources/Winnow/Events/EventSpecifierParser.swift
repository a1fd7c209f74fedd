extension EventSpecifier {
  /// Parses `type.action.key` or `type.action.key.filter`; throws the first error found.
  ///
  /// Type, action and key errors have the code ``Diagnostic/Code/invalidSpecifier``; errors in
  /// the filter are the filter parser's, positioned in the whole specifier.
  public init(parsing text: String, limits: ParseLimits = ParseLimits()) throws(Diagnostic) {
    self = try Array(text.utf8).withUnsafeBufferPointer { bytes throws(Diagnostic) in
      try EventSpecifierParser.parse(bytes, limits: limits)
    }
  }

  /// Parses a specifier given as UTF-8 bytes, which may be invalid (an invalid byte is reported
  /// as ``Diagnostic/Code/invalidEncoding``).
  public init(parsingUTF8 bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits = ParseLimits())
    throws(Diagnostic)
  {
    self = try EventSpecifierParser.parse(bytes, limits: limits)
  }
}

/// The parser of event specifiers (SPEC section 2).
///
///     specifier := part "." part "." part [ "." filter ]
///     part      := "*" | entry { "," entry }
///     entry     := { char | "\1" | "\2" | "\3" }-    (not a bare "*", no whitespace)
///
/// The text is split at its first three `.`: a `.` inside a value is written `\1`, so the
/// filter, which may hold dots, is everything after the third one.
struct EventSpecifierParser {
  /// Which part is being read, for the wording of errors.
  enum Role {
    case type, action, key

    var noun: String {
      switch self {
      case .type: return "type"
      case .action: return "action"
      case .key: return "key"
      }
    }

    var withArticle: String { self == .action ? "an action" : "a \(noun)" }
  }

  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  /// Parses a whole specifier.
  ///
  /// Checks, in order: UTF-8 validity, then the text from left to right; the filter is checked by
  /// the filter parser.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits) throws(Diagnostic)
    -> EventSpecifier
  {
    // `maxBytes` limits the filter part, which the filter parser checks (Grammar/README.md,
    // decision 13); the type.action.key part is read in linear time without a limit of its own.
    if let invalid = UTF8Validation.firstInvalidOffset(bytes) {
      throw Diagnostic(.invalidEncoding, "the specifier is not valid UTF-8", at: invalid)
    }
    var parser = EventSpecifierParser(bytes: bytes)
    do {
      return try parser.parseSpecifier(limits: limits)
    } catch  where error.code == .invalidSpecifier {
      throw hintingAtAFilter(error, bytes, limits: limits)
    }
  }

  /// A type.action.key error on text that is a whole filter gets a hint (a filter where a
  /// specifier is expected is the commonest mistake after dotted keys): the specifier of every
  /// event the filter holds for is `*.*.*.FILTER`.
  private static func hintingAtAFilter(
    _ error: Diagnostic, _ bytes: UnsafeBufferPointer<UInt8>, limits: ParseLimits
  ) -> Diagnostic {
    guard let filter = try? Filter(parsingUTF8: bytes, limits: limits) else { return error }
    var hinted = error
    hinted.message += "; this is a filter, and a specifier is type.action.key[.filter]"
    hinted.suggestion = "*.*.*." + filter.canonicalText
    return hinted
  }

  /// Parses the three parts and the optional filter.
  ///
  ///     specifier := part "." part "." part [ "." filter ]
  mutating func parseSpecifier(limits: ParseLimits) throws(Diagnostic) -> EventSpecifier {
    let types = try parsePart(.type)
    try expectDot("expected '.' and an action after the type")
    let actions = try parsePart(.action)
    try expectDot("expected '.' and a key after the action")
    let keys = try parsePart(.key)
    let header = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<position]), as: UTF8.self)
    guard position < bytes.count else {
      return EventSpecifier(types: types, actions: actions, keys: keys, filter: nil, header: header)
    }
    position += 1  // the third "."
    guard position < bytes.count else {
      throw Diagnostic(
        .invalidSpecifier, "expected a filter after the third '.'", at: bytes.count)
    }
    let filter: Filter
    do {
      filter = try Filter(
        parsingUTF8: UnsafeBufferPointer(rebasing: bytes[position...]), limits: limits)
    } catch {
      throw hintingAtADottedKey(error.shifted(by: position), keys: keys, filterStart: position)
    }
    return EventSpecifier(
      types: types, actions: actions, keys: keys, filter: filter, header: header)
  }

  /// A filter error where the text after the third `.` reads as the rest of a key with dots
  /// (`profiles.save.my.profile`, `leases.*.10.0.1.23`) gets a hint: dots in a key are written
  /// `\1`, and the suggestion is the specifier with the whole key escaped.
  ///
  /// The filter part must look like a key (no `=`, brackets, quotes, `,`, `*` or whitespace) after
  /// a key part of one value.
  private func hintingAtADottedKey(_ error: Diagnostic, keys: [[UInt8]]?, filterStart: Int)
    -> Diagnostic
  {
    guard let keys, keys.count == 1 else { return error }
    let rest = bytes[filterStart...]
    let keyLike = rest.allSatisfy { b in
      b > 0x20 && b != 0x7F && !#"=()",*\"#.utf8.contains(b)
    }
    let header = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[..<(filterStart - 1)]), as: UTF8.self)
    let escapedRest = String(decoding: rest, as: UTF8.self).replacing(".", with: #"\1"#)
    let suggestion = header + #"\1"# + escapedRest
    guard keyLike, (try? EventSpecifier(parsing: suggestion)) != nil else { return error }
    var hinted = error
    hinted.message += #"; a key with dots is written with '\1' for each '.'"#
    hinted.suggestion = suggestion
    return hinted
  }

  /// Steps over the `.` that ends a part, or reports that the text ended too early.
  private mutating func expectDot(_ message: String) throws(Diagnostic) {
    guard position < bytes.count else {
      throw Diagnostic(.invalidSpecifier, message, at: bytes.count)
    }
    position += 1
  }

  /// Parses one part, up to the next `.` or the end of the text; nil means `*`.
  ///
  ///     part  := "*" | entry { "," entry }
  ///     entry := { char | "\1" | "\2" | "\3" }-
  mutating func parsePart(_ role: Role) throws(Diagnostic) -> [[UInt8]]? {
    var values: [[UInt8]] = []
    while true {
      let start = position
      let escaped = try scanEntry(role)
      let atEnd = position == bytes.count || bytes[position] == UInt8(ascii: ".")
      try checkEntry(from: start, isFirst: values.isEmpty, endsPart: atEnd, role)
      if atEnd && values.isEmpty && isBareStar(from: start) { return nil }
      let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
      values.append(escaped ? EventSpecifierParser.unescape(raw) : Array(raw))
      if atEnd { return values }
      position += 1  // the ","
    }
  }

  /// Moves past one entry, up to the next `.`, `,` or the end, rejecting whitespace and unknown
  /// escapes; returns whether the entry holds an escape.
  private mutating func scanEntry(_ role: Role) throws(Diagnostic) -> Bool {
    var escaped = false
    while position < bytes.count {
      let b = bytes[position]
      if b == UInt8(ascii: ".") || b == UInt8(ascii: ",") { break }
      if b == UInt8(ascii: "\\") {
        let next = position + 1 < bytes.count ? bytes[position + 1] : 0
        guard (UInt8(ascii: "1")...UInt8(ascii: "3")).contains(next) else {
          throw Diagnostic(
            .invalidSpecifier, #"expected '\1', '\2' or '\3' after '\' in the \#(role.noun)"#,
            at: position)
        }
        escaped = true
        position += 2
        continue
      }
      // ASCII first: only space, tab, LF, VT, FF and CR are whitespace there.
      let length: Int
      let isWhitespace: Bool
      if b < 0x80 {
        length = 1
        isWhitespace = ByteClass.isASCIISpace(b)
      } else {
        let (scalar, scalarLength) = decodeScalar(at: position)
        length = scalarLength
        isWhitespace = scalar.properties.isWhitespace
      }
      if isWhitespace {
        throw Diagnostic(
          .invalidSpecifier, "expected no whitespace in the \(role.noun)", at: position)
      }
      position += length
    }
    return escaped
  }

  /// The value of an entry whose escapes are known to be valid.
  private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var value: [UInt8] = []
    value.reserveCapacity(raw.count)
    var i = 0
    while i < raw.count {
      if raw[i] == UInt8(ascii: "\\") {
        let escapes: [UInt8] = [UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "*")]
        value.append(escapes[Int(raw[i + 1] - UInt8(ascii: "1"))])
        i += 2
      } else {
        value.append(raw[i])
        i += 1
      }
    }
    return value
  }

  /// Whether the entry that runs from `start` to the current position is exactly `*`.
  private func isBareStar(from start: Int) -> Bool {
    position - start == 1 && bytes[start] == UInt8(ascii: "*")
  }

  /// Rejects an empty entry, and a bare `*` that is not alone in its part.
  private func checkEntry(from start: Int, isFirst: Bool, endsPart: Bool, _ role: Role)
    throws(Diagnostic)
  {
    if position == start {
      let message =
        if isFirst && endsPart {
          "expected \(role.withArticle) or '*'"
        } else if isFirst {
          "expected \(role.withArticle) before ','"
        } else {
          "expected \(role.withArticle) after ','"
        }
      throw Diagnostic(.invalidSpecifier, message, at: start)
    }
    if isBareStar(from: start) && !(isFirst && endsPart) {
      throw Diagnostic(
        .invalidSpecifier,
        #"expected '*' alone for any \#(role.noun), or '\3' for a literal '*'"#, at: start)
    }
  }

  /// The scalar that starts at `i` and its length in bytes; the text is known to be valid UTF-8.
  private func decodeScalar(at i: Int) -> (Unicode.Scalar, Int) {
    let (value, length) = UTF8Decoding.scalar(in: bytes, at: i)
    return (Unicode.Scalar(value)!, length)
  }
}
