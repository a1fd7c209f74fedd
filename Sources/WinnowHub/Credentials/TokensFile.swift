import Winnow

/// An error in a `--tokens` file, located by line (and column when it is in a specifier).
///
/// The message never quotes a token.
public struct TokensFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The 1-based line.
  public let line: Int
  /// The 1-based column of the error, in Unicode scalars, when known.
  public let column: Int?
  /// What is wrong, one lowercase sentence.
  public let message: String

  public var description: String {
    "line \(line)\(column.map { ", column \($0)" } ?? ""): \(message)"
  }
}

extension CredentialStore {
  /// Parses a `--tokens` file: one credential per line, `TOKEN PRINCIPAL RIGHTS [SPECIFIER...]`,
  /// fields separated by spaces or tabs; RIGHTS is `read`, `publish` or `read,publish`; blank
  /// lines and lines whose first non-blank character is `#` are skipped.
  ///
  /// A restriction specifier ends at the first blank after which it parses, so a filter may hold
  /// blanks (`machines.*.*.Name=Eq("a b")`). A token given twice is an error.
  public init(parsingTokensFile text: String, limits: ParseLimits = ParseLimits())
    throws(TokensFileError)
  {
    var credentials: [Credential] = []
    var firstLineOfToken: [String: Int] = [:]
    // "\r\n" is one Character: split at either.
    let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    for (index, rawLine) in lines.enumerated() {
      let line = index + 1
      var content = Substring(rawLine)
      if content.last == "\r" { content = content.dropLast() }
      let fields = TokensFileLine.fields(of: content)
      guard let first = fields.first, !content[first].hasPrefix("#") else { continue }
      guard fields.count >= 3 else {
        throw TokensFileError(
          line: line, column: nil,
          message:
            "expected TOKEN PRINCIPAL RIGHTS [SPECIFIER...], found \(fields.count) field\(fields.count == 1 ? "" : "s")"
        )
      }
      let token = String(content[fields[0]])
      guard let rights = Rights(parsing: content[fields[2]]) else {
        throw TokensFileError(
          line: line, column: TokensFileLine.column(of: fields[2].lowerBound, in: content),
          message: "rights must be read, publish or read,publish, not '\(content[fields[2]])'")
      }
      if let earlier = firstLineOfToken[token] {
        throw TokensFileError(
          line: line, column: 1, message: "the token of line \(earlier) is given again")
      }
      firstLineOfToken[token] = line
      let restrictions = try TokensFileLine.specifiers(
        in: content, fields: fields.dropFirst(3), line: line, limits: limits)
      credentials.append(
        Credential(
          token: token, principal: String(content[fields[1]]), rights: rights,
          restrictions: restrictions))
    }
    self.init(credentials)
  }
}

/// The splitting of one line of a tokens file.
enum TokensFileLine {
  /// The ranges of the blank-separated fields of `line`.
  static func fields(of line: Substring) -> [Range<Substring.Index>] {
    var fields: [Range<Substring.Index>] = []
    var i = line.startIndex
    while i < line.endIndex {
      while i < line.endIndex, isBlank(line[i]) { i = line.index(after: i) }
      guard i < line.endIndex else { break }
      let start = i
      while i < line.endIndex, !isBlank(line[i]) { i = line.index(after: i) }
      fields.append(start..<i)
    }
    return fields
  }

  static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" }

  /// The 1-based column of `index` in `line`, in Unicode scalars.
  static func column(of index: Substring.Index, in line: Substring) -> Int {
    line.unicodeScalars[line.startIndex..<index].count + 1
  }

  /// The restriction specifiers among `fields`: each is the shortest run of consecutive fields
  /// (with the blanks between them) that parses; when the rest of the line does not parse, its
  /// error is reported.
  static func specifiers(
    in line: Substring, fields: ArraySlice<Range<Substring.Index>>, line number: Int,
    limits: ParseLimits
  ) throws(TokensFileError) -> [EventSpecifier] {
    var specifiers: [EventSpecifier] = []
    var start = fields.startIndex
    while start < fields.endIndex {
      var end = start
      var parsed: EventSpecifier?
      var lastError: Diagnostic?
      while end < fields.endIndex, parsed == nil {
        let text = String(line[fields[start].lowerBound..<fields[end].upperBound])
        do {
          parsed = try EventSpecifier(parsing: text, limits: limits)
        } catch {
          lastError = error
          end += 1
        }
      }
      guard let parsed else {
        let startIndex = fields[start].lowerBound
        let text = String(line[startIndex..<fields[fields.endIndex - 1].upperBound])
        let error = lastError!
        let (_, inSpecifier) = SourceText(text).location(ofOffset: error.offset)
        throw TokensFileError(
          line: number, column: inSpecifier + column(of: startIndex, in: line) - 1,
          message: "invalid restriction specifier: \(error.message)")
      }
      specifiers.append(parsed)
      start = end + 1
    }
    return specifiers
  }
}
