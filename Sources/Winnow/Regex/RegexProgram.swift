/// A pattern compiled to a Thompson NFA over code points: Winnow's own non-backtracking matcher.
///
/// Built from the RE2 front end's tree (``RegexNode``), so it means exactly what the PCRE2
/// translation means (the corpus runs both). ``LinearSearch`` simulates it with a lazily built
/// DFA, in time linear in the subject. Counted repeats are expanded as RE2 expands them
/// (`x{2,4}` is `xx(x(x)?)?`), which RE2's program-size limit keeps bounded.
final class RegexProgram: Sendable {
  /// What an instruction does.
  enum Operation: UInt8 {
    /// Consume one code point of `sets[argument]`, then go to `next`.
    case consume
    /// Go to both `next` and `alternative` (no input consumed).
    case split
    /// Go to `next` if the assertion `argument` holds here.
    case assert
    /// The pattern has matched.
    case match
  }

  /// One NFA instruction.
  struct Instruction {
    var operation: Operation
    /// The set index (`consume`) or ``RegexAssertion`` raw value (`assert`).
    var argument: Int32
    var next: Int32
    var alternative: Int32
  }

  /// What the characters around a position are, for the assertions.
  enum Context: UInt8 {
    /// Any other character.
    case other = 0
    /// An ASCII word character `[0-9A-Za-z_]`.
    case word = 1
    /// `\n`.
    case newline = 2
    /// The start (before) or the end (after) of the text.
    case edge = 3
  }

  /// The most instructions a program may have (RE2's own limit is about 700,000).
  static let maxInstructions = 2_000_000

  let instructions: [Instruction]
  /// The entry instruction.
  let start: Int32
  /// The distinct code point sets that `consume` instructions test.
  let sets: [RE2CharacterSet]
  /// The alphabet: code points split into classes that every set and every context treats alike.
  ///
  /// Class `k` is `classStarts[k] ..< classStarts[k + 1]` (the last one runs to U+10FFFF).
  let classStarts: [UInt32]
  /// The class of each ASCII code point.
  let asciiClass: [UInt16]
  /// The context (``Context``) of each class.
  let classContext: [Context]
  /// Whether a search need not restart after position 0 (every branch begins with `\A`).
  let anchoredAtStart: Bool

  /// Compiles `tree`.
  ///
  /// - Throws: ``RegexProgram/TooLarge`` past ``maxInstructions``.
  init(_ tree: RegexNode, maxInstructions: Int = RegexProgram.maxInstructions) throws(TooLarge) {
    var builder = Builder(maxInstructions: maxInstructions)
    let match = builder.emit(Instruction(operation: .match, argument: 0, next: -1, alternative: -1))
    let entry = try builder.compile(tree, next: match)
    instructions = builder.instructions
    start = entry
    sets = builder.sets

    // The alphabet: every boundary of every set, plus those of `\n` and the word characters.
    var boundaries: Set<UInt32> = [0, 0x0A, 0x0B]
    for set in builder.sets + [RegexProgram.wordCharacters] {
      for r in set.ranges {
        boundaries.insert(r.lowerBound)
        if r.upperBound < RE2CharacterSet.maxCodePoint { boundaries.insert(r.upperBound + 1) }
      }
    }
    let starts = boundaries.sorted()
    classStarts = starts
    var ascii = [UInt16](repeating: 0, count: 128)
    var k = 0
    for c in 0..<128 {
      while k + 1 < starts.count && starts[k + 1] <= UInt32(c) { k += 1 }
      ascii[c] = UInt16(k)
    }
    asciiClass = ascii
    classContext = starts.map { c in
      c == 0x0A ? .newline : RegexProgram.wordCharacters.contains(c) ? .word : .other
    }
    anchoredAtStart = Self.isAnchoredAtStart(builder.instructions, entry: entry)
  }

  /// The pattern needs more than ``RegexProgram/maxInstructions``.
  struct TooLarge: Error {}

  /// `[0-9A-Za-z_]`, the word characters of `\b`.
  static let wordCharacters = RE2CharacterSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])

  /// The alphabet class of `scalar`.
  @inline(__always)
  func alphabetClass(of scalar: UInt32) -> Int {
    if scalar < 128 { return Int(asciiClass[Int(scalar)]) }
    var lo = 0
    var hi = classStarts.count
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if classStarts[mid] <= scalar { lo = mid } else { hi = mid }
    }
    return lo
  }

  /// Whether `assertion` holds between characters of contexts `before` and `after`.
  @inline(__always)
  static func holds(_ assertion: RegexAssertion, before: Context, after: Context) -> Bool {
    switch assertion {
    case .beginText: before == .edge
    case .endText: after == .edge
    case .beginLine: before == .edge || before == .newline
    case .endLine: after == .edge || after == .newline
    case .wordBoundary: (before == .word) != (after == .word)
    case .notWordBoundary: (before == .word) == (after == .word)
    }
  }

  /// Whether the entry can make progress only at the very start of the text: following splits,
  /// every path reaches a `\A` before consuming anything.
  private static func isAnchoredAtStart(_ program: [Instruction], entry: Int32) -> Bool {
    var seen = Set<Int32>()
    var stack = [entry]
    while let pc = stack.popLast() {
      guard seen.insert(pc).inserted else { continue }
      let instruction = program[Int(pc)]
      switch instruction.operation {
      case .consume, .match: return false
      case .split: stack += [instruction.next, instruction.alternative]
      case .assert:
        if instruction.argument != Int32(RegexAssertion.beginText.rawValue) {
          stack.append(instruction.next)
        }
      }
    }
    return true
  }

  /// Emits instructions back to front: each node is compiled knowing where it continues.
  private struct Builder {
    let maxInstructions: Int
    var instructions: [Instruction] = []
    var sets: [RE2CharacterSet] = []
    var setIndex: [RE2CharacterSet: Int32] = [:]

    mutating func emit(_ instruction: Instruction) -> Int32 {
      instructions.append(instruction)
      return Int32(instructions.count - 1)
    }

    mutating func split(_ a: Int32, _ b: Int32) -> Int32 {
      emit(Instruction(operation: .split, argument: 0, next: a, alternative: b))
    }

    /// Compiles `node` so that it continues at `next`; returns its entry.
    mutating func compile(_ node: RegexNode, next: Int32) throws(TooLarge) -> Int32 {
      if instructions.count > maxInstructions { throw TooLarge() }
      switch node {
      case .empty:
        return next
      case .set(let set):
        let index: Int32
        if let known = setIndex[set] {
          index = known
        } else {
          index = Int32(sets.count)
          sets.append(set)
          setIndex[set] = index
        }
        return emit(Instruction(operation: .consume, argument: index, next: next, alternative: -1))
      case .assertion(let assertion):
        return emit(
          Instruction(
            operation: .assert, argument: Int32(assertion.rawValue), next: next, alternative: -1))
      case .concatenation(let nodes):
        var entry = next
        for child in nodes.reversed() { entry = try compile(child, next: entry) }
        return entry
      case .alternation(let nodes):
        guard let last = nodes.last else { return next }
        var entry = try compile(last, next: next)
        for child in nodes.dropLast().reversed() {
          entry = split(try compile(child, next: next), entry)
        }
        return entry
      case .repetition(let child, let min, let max):
        if instructions.count > maxInstructions { throw TooLarge() }
        var entry = next
        if let max {
          // (m - n) nested optional copies: x(x(x)?)?, then n required copies.
          for _ in 0..<(max - min) { entry = split(try compile(child, next: entry), next) }
          for _ in 0..<min { entry = try compile(child, next: entry) }
          return entry
        }
        // x* is a loop L: split(x → L, next); x+ enters x first; x{n,} is n-1 copies and x+.
        let loop = split(-1, next)
        let body = try compile(child, next: loop)
        instructions[Int(loop)].next = body
        entry = min == 0 ? loop : body
        for _ in 0..<Swift.max(min - 1, 0) { entry = try compile(child, next: entry) }
        return entry
      }
    }
  }
}
