/// Why a `register` or `deregister` was refused; a refused request changes nothing.
public enum SubscriptionError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The specifier text is not a valid event specifier.
  case invalidSpecifier(Diagnostic)
  /// `deregister` of a specifier the subscriber does not hold, given by its canonical text.
  case notRegistered(String)

  /// One line for logs and replies: `invalid specifier: MESSAGE (at byte N)` or
  /// `not registered: TEXT`.
  public var description: String {
    switch self {
    case .invalidSpecifier(let diagnostic):
      "invalid specifier: \(diagnostic)"
    case .notRegistered(let text):
      "not registered: \(text)"
    }
  }
}
