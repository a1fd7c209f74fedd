/// The RE2-syntax parser behind ``RE2Dialect``: one pass over the UTF-8 bytes, no recursion.
///
/// Like RE2's parser it keeps an explicit stack of open groups, so deeply nested patterns cannot
/// overflow the call stack.
struct RE2Parser {
  /// An open group (or the whole pattern, at the bottom of the stack).
  struct Frame {
    /// The offset of its `(`, for "missing closing )".
    var openOffset: Int
    /// The flags to restore at its `)`.
    var savedFlags: RE2Flags
    /// Whether the group captures in RE2 (it costs two instructions there).
    var capturing: Bool
    /// The translated branches before the current one.
    var branches: [RE2Piece] = []
    /// The pieces of the current branch.
    var pieces: [RE2Piece] = []
  }

  let bytes: [UInt8]
  var position = 0
  var flags = RE2Flags()
  var stack: [Frame]
  /// Whether pieces carry their ``RegexNode`` (otherwise their nodes are `.empty`).
  let buildsTree: Bool
  /// The repetition with the largest estimated RE2 cost so far: its operator's offset and text.
  var costliestRepeat: (offset: Int, text: String, cost: Int)?

  /// The deepest group nesting for which a tree is built (the tree's depth is about twice
  /// this; PCRE2 allows 1000, and 250 is its own default).
  static let maxTreeNesting = 250

  init(_ pattern: String, buildsTree: Bool) {
    bytes = Array(pattern.utf8)
    stack = [Frame(openOffset: 0, savedFlags: RE2Flags(), capturing: false)]
    self.buildsTree = buildsTree
  }

  /// `make()` when building a tree, else `.empty` (so that translating allocates no nodes).
  func node(_ make: @autoclosure () -> RegexNode) -> RegexNode {
    buildsTree ? make() : .empty
  }

  /// Parses the whole pattern.
  ///
  ///     regexp := branch { "|" branch }
  ///     branch := { piece }
  ///     piece  := atom [ repeat ]
  mutating func parse() throws(RegexSyntaxError) -> (translation: String, tree: RegexNode) {
    // RE2 forbids stacking repetition operators (`a**`) only when they are adjacent in the
    // text: a flag group in between (`a*(?i)*`) makes the second one legal.
    var previousWasRepeat = false
    while position < bytes.count {
      var isRepeat = false
      let start = position
      switch bytes[position] {
      case UInt8(ascii: "("):
        if byte(at: position + 1) == UInt8(ascii: "?") {
          try parseGroupOrFlags()
        } else if byte(at: position + 1) == UInt8(ascii: "*"), let next = byte(at: position + 2),
          isVerbStart(next)
        {
          throw RegexSyntaxError(
            "backtracking control verbs such as (*FAIL) are not supported in RE2", at: start)
        } else {
          position += 1
          try openGroup(at: start, capturing: true)
        }
      case UInt8(ascii: "|"):
        position += 1
        finishBranch()
      case UInt8(ascii: ")"):
        try closeGroup()
        position += 1
      case UInt8(ascii: "^"):
        position += 1
        push(
          flags.multiLine
            ? .atom("(?m:^)", node: .assertion(.beginLine), cost: 1) : .assertion("\\A", .beginText)
        )
      case UInt8(ascii: "$"):
        position += 1
        push(
          flags.multiLine
            ? .atom("(?m:$)", node: .assertion(.endLine), cost: 1) : .assertion("\\z", .endText))
      case UInt8(ascii: "."):
        position += 1
        push(
          flags.dotMatchesNewline
            ? .atom("(?s:.)", node: .set(RE2CharacterSet.all), cost: 11)
            : .atom("[^\\n]", node: .set(RE2CharacterSet.allButNewline), cost: 11))
      case UInt8(ascii: "["):
        push(try parseClass())
      case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
        try parseRepeatOperator(afterRepeat: previousWasRepeat)
        isRepeat = true
      case UInt8(ascii: "{"):
        if let (min, max) = counts(at: position) {
          try parseCountedRepeat(min: min, max: max, afterRepeat: previousWasRepeat)
          isRepeat = true
        } else {
          position += 1
          push(literal(UInt32(UInt8(ascii: "{"))))
        }
      case UInt8(ascii: "\\"):
        try parseEscapeAtom()
      default:
        push(literal(decodeScalar()))
      }
      previousWasRepeat = isRepeat
    }
    if stack.count > 1 {
      throw RegexSyntaxError("missing closing )", at: stack[stack.count - 1].openOffset)
    }
    let whole = finishGroup(stack.removeLast())
    if whole.cost > RE2Dialect.maxProgramSize {
      let limit = "RE2's program size limit (about \(RE2Dialect.maxProgramSize) instructions)"
      guard let costliest = costliestRepeat, costliest.cost > RE2Dialect.maxProgramSize / 10 else {
        throw RegexSyntaxError(
          "pattern too large: it would exceed \(limit) with about \(whole.cost)", at: 0)
      }
      throw RegexSyntaxError(
        "pattern too large: the repetition \(costliest.text) here costs about \(costliest.cost) "
          + "RE2 instructions, the whole pattern about \(whole.cost), over \(limit)",
        at: costliest.offset)
    }
    return (whole.inlineText ?? whole.text, whole.node)
  }

  // MARK: - Bytes

  func byte(at offset: Int) -> UInt8? {
    offset < bytes.count ? bytes[offset] : nil
  }

  /// Reads the scalar at `position` and moves past it (the text is valid UTF-8).
  mutating func decodeScalar() -> UInt32 {
    let (value, length) = UTF8Decoding.scalar(in: bytes, at: position)
    position += length
    return value
  }

  /// `(*` followed by a capital letter or `:` starts a PCRE2 verb such as `(*FAIL)` or `(*:NAME)`.
  private func isVerbStart(_ b: UInt8) -> Bool {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b) || b == UInt8(ascii: ":")
  }

  // MARK: - Pieces, branches and groups

  mutating func push(_ piece: RE2Piece) {
    stack[stack.count - 1].pieces.append(piece)
  }

  mutating func openGroup(at offset: Int, capturing: Bool) throws(RegexSyntaxError) {
    if buildsTree && stack.count > Self.maxTreeNesting {
      throw RegexSyntaxError("groups nest too deeply for the linear-time matcher", at: offset)
    }
    stack.append(Frame(openOffset: offset, savedFlags: flags, capturing: capturing))
  }

  /// Ends the current branch of the innermost group at a `|`.
  mutating func finishBranch() {
    let top = stack.count - 1
    let branch = concatenate(stack[top].pieces)
    stack[top].branches.append(branch)
    stack[top].pieces = []
  }

  /// Closes the innermost group at a `)` and pushes it as a piece of the enclosing one.
  mutating func closeGroup() throws(RegexSyntaxError) {
    guard stack.count > 1 else { throw RegexSyntaxError("unexpected )", at: position) }
    let frame = stack.removeLast()
    flags = frame.savedFlags
    push(finishGroup(frame))
  }

  /// The piece for a whole group: its branches joined by `|`.
  func finishGroup(_ frame: Frame) -> RE2Piece {
    let branches = frame.branches + [concatenate(frame.pieces)]
    let capturing = frame.capturing ? 2 : 0
    if branches.count == 1 {
      var only = branches[0]
      only.cost = saturatingAdd(only.cost, capturing)
      return only
    }
    let cost = branches.reduce(branches.count - 1 + capturing) { saturatingAdd($0, $1.cost) }
    let body = branches.map { $0.inlineText ?? $0.text }.joined(separator: "|")
    return RE2Piece(
      text: "(?:" + body + ")", quantifiable: true, inlineText: nil,
      nesting: branches.map(\.nesting).max() ?? 1, cost: cost,
      node: node(.alternation(branches.map(\.node))))
  }

  /// The piece for a concatenation.
  ///
  /// A single piece stands for itself; several are bracketed only when a quantifier follows
  /// (`inlineText` is used otherwise).
  func concatenate(_ pieces: [RE2Piece]) -> RE2Piece {
    if pieces.count == 1 { return pieces[0] }
    let body = pieces.map { $0.inlineText ?? $0.text }.joined()
    return RE2Piece(
      text: "(?:" + body + ")", quantifiable: true, inlineText: body,
      nesting: pieces.map(\.nesting).max() ?? 1,
      cost: pieces.reduce(0) { saturatingAdd($0, $1.cost) },
      node: pieces.isEmpty ? .empty : node(.concatenation(pieces.map(\.node))))
  }

  // MARK: - Repetition

  /// Parses `*`, `+` or `?` with an optional lazy `?`.
  ///
  ///     repeat := ( "*" | "+" | "?" ) [ "?" ]
  mutating func parseRepeatOperator(afterRepeat: Bool) throws(RegexSyntaxError) {
    let start = position
    let op = bytes[position]
    position += 1
    var lazy = false
    if byte(at: position) == UInt8(ascii: "?") {
      lazy = true
      position += 1
    }
    if afterRepeat {
      throw op == UInt8(ascii: "+")
        ? RegexSyntaxError("possessive quantifiers such as a*+ are not supported in RE2", at: start)
        : RegexSyntaxError(
          "repetition operator cannot follow another repetition operator", at: start)
    }
    let operand = try takeOperand(for: start)
    let suffix = String(UnicodeScalar(op)) + (lazy != flags.ungreedy ? "?" : "")
    let (min, max): (Int, Int?) =
      switch op {
      case UInt8(ascii: "*"): (0, nil)
      case UInt8(ascii: "+"): (1, nil)
      default: (0, 1)
      }
    var piece = RE2Piece(
      text: operand.quantifiableText + suffix, quantifiable: false, nesting: operand.nesting,
      cost: saturatingAdd(operand.cost, 1),
      node: node(.repetition(operand.node, min: min, max: max)))
    noteRepeat(at: start, cost: piece.cost)
    piece.inlineText = nil
    push(piece)
  }

  /// Parses `{n}`, `{n,}` or `{n,m}` (already recognised by ``counts(at:)``).
  ///
  ///     repeat := "{" int [ "," [ int ] ] "}" [ "?" ]
  mutating func parseCountedRepeat(min: Int, max: Int?, afterRepeat: Bool) throws(RegexSyntaxError)
  {
    let start = position
    while bytes[position] != UInt8(ascii: "}") { position += 1 }
    position += 1
    var lazy = false
    if byte(at: position) == UInt8(ascii: "?") {
      lazy = true
      position += 1
    }
    if afterRepeat {
      throw RegexSyntaxError(
        "repetition operator cannot follow another repetition operator", at: start)
    }
    if min > RE2Dialect.maxRepeat || (max ?? 0) > RE2Dialect.maxRepeat {
      throw RegexSyntaxError("invalid repeat count: above \(RE2Dialect.maxRepeat)", at: start)
    }
    if let max, max < min {
      throw RegexSyntaxError("invalid repeat count: minimum above maximum", at: start)
    }
    let operand = try takeOperand(for: start)
    // RE2's RepetitionWalker: for a repeat that can run twice or more, the product of the
    // counts (the maximum, or the minimum when unbounded; zero counts are skipped) along any
    // path of nested counted repeats must not exceed 1000, so (a{100}){100} is an error.
    let count = max ?? min
    let nesting = saturatingMultiply(Swift.max(count, 1), operand.nesting)
    if (min >= 2 || (max ?? 0) >= 2) && nesting > RE2Dialect.maxRepeat {
      throw RegexSyntaxError(
        "invalid repeat count: nested repeats exceed \(RE2Dialect.maxRepeat)", at: start)
    }
    let bounds =
      switch max {
      case nil: "{\(min),}"
      case min: "{\(min)}"
      case let max?: "{\(min),\(max)}"
      }
    // RE2 expands x{n,m} into n copies of x and m-n nested optional copies.
    let cost =
      max.map {
        saturatingAdd(
          saturatingMultiply(min, operand.cost), saturatingMultiply($0 - min, operand.cost + 1))
      }
      ?? saturatingAdd(saturatingMultiply(Swift.max(min, 1), operand.cost), 1)
    let suffix = lazy != flags.ungreedy && max != min ? "?" : ""
    noteRepeat(at: start, cost: cost)
    push(
      RE2Piece(
        text: operand.quantifiableText + bounds + suffix, quantifiable: false,
        nesting: nesting, cost: cost, node: node(.repetition(operand.node, min: min, max: max))))
  }

  /// Remembers the repetition operator at `offset` if it is the costliest so far.
  mutating func noteRepeat(at offset: Int, cost: Int) {
    guard cost > costliestRepeat?.cost ?? 0 else { return }
    var end = offset + 1
    if bytes[offset] == UInt8(ascii: "{") {
      while bytes[end - 1] != UInt8(ascii: "}") { end += 1 }
    }
    costliestRepeat = (offset, String(decoding: bytes[offset..<end], as: UTF8.self), cost)
  }

  /// Removes and returns the piece a repetition operator at `offset` applies to.
  mutating func takeOperand(for offset: Int) throws(RegexSyntaxError) -> RE2Piece {
    let top = stack.count - 1
    guard let operand = stack[top].pieces.popLast() else {
      throw RegexSyntaxError("missing argument to repetition operator", at: offset)
    }
    return operand
  }

  /// The counts of a `{n}`, `{n,}` or `{n,m}` at `offset`, or nil if the text there is not one
  /// (then `{` is a literal, as in RE2: `a{,5}`, `a{x}`, `a{01}`).
  func counts(at offset: Int) -> (Int, Int?)? {
    var i = offset + 1
    guard let min = integer(at: &i), i < bytes.count else { return nil }
    var max: Int? = min
    if bytes[i] == UInt8(ascii: ",") {
      i += 1
      guard i < bytes.count else { return nil }
      if bytes[i] == UInt8(ascii: "}") {
        max = nil
      } else {
        guard let m = integer(at: &i) else { return nil }
        max = m
      }
    }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "}") else { return nil }
    return (min, max)
  }

  /// RE2's `ParseInteger`: decimal digits, no leading zero, below 10^9 (else not a count).
  private func integer(at i: inout Int) -> Int? {
    guard let first = byte(at: i), isDigit(first) else { return nil }
    if first == UInt8(ascii: "0"), let next = byte(at: i + 1), isDigit(next) { return nil }
    var n = 0
    while let b = byte(at: i), isDigit(b) {
      if n >= 100_000_000 { return nil }
      n = n * 10 + Int(b - UInt8(ascii: "0"))
      i += 1
    }
    return n
  }

  func isDigit(_ b: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }

  // MARK: - Literals

  /// The piece for one literal code point under the current flags.
  func literal(_ c: UInt32) -> RE2Piece {
    let cost = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
    if (0xD800...0xDFFF).contains(c) {
      // RE2 accepts \x{D800}, which can never match valid UTF-8; PCRE2 rejects it.
      return .atom("(?!)", node: .set(RE2CharacterSet()), cost: cost)
    }
    let text = Self.literalText(c)
    let isLetter = c >= 0x80 || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    if flags.foldCase && isLetter {
      return .atom(
        "(?i:" + text + ")", node: node(.set(RE2CaseFolding.closure(of: RE2CharacterSet([c...c])))),
        cost: cost)
    }
    return .atom(text, node: node(.set(RE2CharacterSet([c...c]))), cost: cost)
  }

  /// A code point as a PCRE2 literal: letters and digits as themselves, ASCII punctuation
  /// escaped, everything else in hex.
  static func literalText(_ c: UInt32) -> String {
    switch c {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: String(UnicodeScalar(UInt8(c)))
    case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: "\\" + String(UnicodeScalar(UInt8(c)))
    default: "\\x{" + String(c, radix: 16) + "}"
    }
  }
}
