/// An unanchored search of a ``RegexProgram`` that never backtracks: a DFA built lazily from the
/// NFA while the subject is read, in one pass.
///
/// A DFA state is the set of NFA instructions waiting to consume the next code point (its
/// kernel) together with the context of the previous character (for `^`, `$`, `\b`). Reading a
/// code point of alphabet class `k` follows the kernel's epsilon closure (the entry is added at
/// every position, which makes the search unanchored in the same pass) and steps every `consume`
/// whose set holds the class. Each transition is computed once and cached, so a subject costs one
/// table look-up per code point once the states it visits are known, and at most
/// O(program size) per code point otherwise: linear in the subject whatever the pattern.
///
/// The cache is bounded by ``memoryBound``; when full it is cleared and rebuilt as needed (as
/// RE2's DFA does), so memory stays bounded and time stays linear.
struct LinearSearch: ~Copyable {
  /// The most memory the cached states and transitions may take, in bytes (about).
  static let memoryBound = 8 << 20

  private let program: RegexProgram
  private let classCount: Int
  private let memoryBound: Int
  /// `transitions[state * classCount + k]`: the next state, ``unknown`` or ``matched``.
  private var transitions: [Int32] = []
  /// Each state's kernel, and the context before its position.
  private var kernels: [[Int32]] = []
  private var contexts: [RegexProgram.Context] = []
  private var stateIndex: [[Int32]: Int32] = [:]
  private var memoryUsed = 0
  /// How many times the cache was cleared (for tests).
  private(set) var cacheResets = 0
  /// The work done so far: one per code point read, plus one per NFA instruction visited while
  /// computing transitions.
  ///
  /// A search does at most (code points + 1) × (2 × instructions + 1).
  private(set) var work = 0

  // Scratch space for closures, reused.
  private var mark: [UInt32]
  private var generation: UInt32 = 0
  private var stack: [Int32] = []
  private var consumers: [Int32] = []

  private static let unknown: Int32 = -1
  private static let matched: Int32 = -2

  init(_ program: RegexProgram, memoryBound: Int = LinearSearch.memoryBound) {
    self.program = program
    self.memoryBound = memoryBound
    classCount = program.classStarts.count
    mark = [UInt32](repeating: 0, count: program.instructions.count)
  }

  /// Whether the program matches somewhere in `subject` (valid UTF-8).
  static func matches(_ program: RegexProgram, in subject: UnsafeBufferPointer<UInt8>) -> Bool {
    var search = LinearSearch(program)
    return search.run(subject)
  }

  /// ``matches(_:in:)`` that also reports the work done (see ``work``), for the fuzz oracle.
  static func matches(
    _ program: RegexProgram, in subject: UnsafeBufferPointer<UInt8>, work: inout Int
  ) -> Bool {
    var search = LinearSearch(program)
    let found = search.run(subject)
    work = search.work
    return found
  }

  mutating func run(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
    var state = addState(kernel: [], context: .edge)
    var i = 0
    let n = subject.count
    while i < n {
      // Decode one scalar (the subject is valid UTF-8).
      let lead = subject[i]
      var scalar = UInt32(lead)
      var length = 1
      if lead >= 0x80 {
        length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        scalar = UInt32(lead) & (0xFF >> (length + 1))
        for j in 1..<length { scalar = scalar << 6 | UInt32(subject[i + j] & 0x3F) }
      }
      work &+= 1
      let k = program.alphabetClass(of: scalar)
      var next = transitions[Int(state) * classCount + k]
      if next == Self.unknown { next = computeTransition(from: state, alphabetClass: k) }
      if next == Self.matched { return true }
      state = next
      if program.anchoredAtStart && kernels[Int(state)].isEmpty { return false }
      i += length
    }
    return closure(of: state, after: .edge)
  }

  /// Adds a state (clearing the cache first if it is full) and returns its number.
  private mutating func addState(kernel: [Int32], context: RegexProgram.Context) -> Int32 {
    let cost = classCount * 4 + kernel.count * 8 + 96
    if memoryUsed + cost > memoryBound && !kernels.isEmpty {
      transitions.removeAll(keepingCapacity: true)
      kernels.removeAll(keepingCapacity: true)
      contexts.removeAll(keepingCapacity: true)
      stateIndex.removeAll(keepingCapacity: true)
      memoryUsed = 0
      cacheResets += 1
    }
    memoryUsed += cost
    let number = Int32(kernels.count)
    kernels.append(kernel)
    contexts.append(context)
    transitions.append(contentsOf: repeatElement(Self.unknown, count: classCount))
    stateIndex[kernel + [Int32(context.rawValue)]] = number
    return number
  }

  /// Follows the epsilon closure of `state`'s kernel plus the entry, with `after` the context of
  /// the next character; fills ``consumers`` and returns whether the match instruction is reached.
  private mutating func closure(of state: Int32, after: RegexProgram.Context) -> Bool {
    let before = contexts[Int(state)]
    generation &+= 1
    if generation == 0 {
      for i in mark.indices { mark[i] = 0 }
      generation = 1
    }
    consumers.removeAll(keepingCapacity: true)
    stack.removeAll(keepingCapacity: true)
    stack.append(contentsOf: kernels[Int(state)])
    stack.append(program.start)
    var found = false
    while let pc = stack.popLast() {
      if mark[Int(pc)] == generation { continue }
      mark[Int(pc)] = generation
      work &+= 1
      let instruction = program.instructions[Int(pc)]
      switch instruction.operation {
      case .consume:
        consumers.append(pc)
      case .split:
        stack.append(instruction.alternative)
        stack.append(instruction.next)
      case .assert:
        let assertion = RegexAssertion(rawValue: UInt8(instruction.argument))!
        if RegexProgram.holds(assertion, before: before, after: after) {
          stack.append(instruction.next)
        }
      case .match:
        found = true
      }
    }
    return found
  }

  /// Computes, caches and returns the transition from `state` on alphabet class `k`.
  private mutating func computeTransition(from state: Int32, alphabetClass k: Int) -> Int32 {
    let context = program.classContext[k]
    if closure(of: state, after: context) {
      transitions[Int(state) * classCount + k] = Self.matched
      return Self.matched
    }
    let representative = program.classStarts[k]
    generation &+= 1
    if generation == 0 {
      for i in mark.indices { mark[i] = 0 }
      generation = 1
    }
    var kernel: [Int32] = []
    work &+= consumers.count
    for pc in consumers {
      let instruction = program.instructions[Int(pc)]
      guard program.sets[Int(instruction.argument)].contains(representative) else { continue }
      let target = instruction.next
      if mark[Int(target)] != generation {
        mark[Int(target)] = generation
        kernel.append(target)
      }
    }
    kernel.sort()
    let resetsBefore = cacheResets
    let next =
      stateIndex[kernel + [Int32(context.rawValue)]] ?? addState(kernel: kernel, context: context)
    if cacheResets == resetsBefore {
      transitions[Int(state) * classCount + k] = next
    }
    return next
  }
}
