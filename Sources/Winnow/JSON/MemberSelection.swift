/// Which members of an object a reader looks at (see ``MemberProjection``).
struct MemberSelection: Hashable, Sendable {
  /// How much of a member is kept.
  enum Keep: Hashable, Sendable {
    /// Its whole value.
    case whole
    /// If its value is an object, only these of its members (any other value is kept whole).
    case members(MemberSelection)
  }

  /// The kept members by name.
  private(set) var members: [[UInt8]: Keep] = [:]

  /// Keeps the value at `path` (member names, outermost first) whole.
  ///
  /// Of the objects on the way only what is selected is kept. An empty path keeps nothing new.
  mutating func insert(_ path: some Collection<[UInt8]>) {
    guard let name = path.first else { return }
    let rest = path.dropFirst()
    if rest.isEmpty {
      members[name] = .whole
      return
    }
    switch members[name] {
    case .whole?:
      return
    case .members(var inner)?:
      inner.insert(rest)
      members[name] = .members(inner)
    case nil:
      var inner = MemberSelection()
      inner.insert(rest)
      members[name] = .members(inner)
    }
  }

  /// Whether the member `name` is kept whole.
  func keepsWhole(_ name: [UInt8]) -> Bool {
    members[name] == .whole
  }

  /// The leaves, as dotted paths (unsorted).
  var paths: [String] {
    members.flatMap { name, keep -> [String] in
      let text = String(decoding: name, as: UTF8.self)
      switch keep {
      case .whole: return [text]
      case .members(let inner): return inner.paths.map { text + "." + $0 }
      }
    }
  }
}
