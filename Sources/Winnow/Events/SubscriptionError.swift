/// Why a `register` or `deregister` was refused; a refused request changes nothing.
public enum SubscriptionError: Error, Hashable, Sendable {
  /// The specifier text is not a valid event specifier.
  case invalidSpecifier(Diagnostic)
  /// `deregister` of a specifier the subscriber does not hold, given by its canonical text.
  case notRegistered(String)
}
