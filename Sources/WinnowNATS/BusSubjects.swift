import NATSClient
import Winnow

/// The NATS subjects of the event bus: an event is published on `PREFIX.<type>.<action>`, each
/// part one token escaped by `NATSSubjectToken`, and a hub subscribes to the subjects its
/// clients' specifiers need, so that NATS routes by type and action and each hub applies keys
/// and filters itself.
public struct BusSubjects: Hashable, Sendable {
  /// Dot-separated tokens without wildcards, such as the default `drp.events`.
  public let prefix: String

  /// Nil when `prefix` is not a valid literal subject.
  public init?(prefix: String) {
    guard !prefix.isEmpty,
      prefix.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ token in
        !token.isEmpty
          && token.utf8.allSatisfy(NATSSubjectTokenBytes.isLiteral)
      })
    else { return nil }
    self.prefix = prefix
  }

  /// The subject an event of this type and action is published on.
  public func subject(type: String, action: String) -> String {
    "\(prefix).\(NATSSubjectToken.escape(type)).\(NATSSubjectToken.escape(action))"
  }

  /// The subjects a hub subscribes to for `specifier`: one per (type, action) pair of its lists,
  /// `*` for a `*` part.
  ///
  /// The job entries `machine_jobs` and `work_order_jobs` select events of type `jobs`, so they
  /// need the `jobs` subject. Sorted, without duplicates.
  public func interest(of specifier: EventSpecifier) -> [String] {
    let types = tokens(specifier.types, jobs: true)
    let actions = tokens(specifier.actions, jobs: false)
    var subjects: Set<String> = []
    for type in types {
      for action in actions { subjects.insert("\(prefix).\(type).\(action)") }
    }
    return subjects.sorted()
  }

  private func tokens(_ part: EventSpecifier.Part, jobs: Bool) -> [String] {
    switch part {
    case .any: return ["*"]
    case .values(let values):
      return values.map { value in
        if jobs && (value == EventSpecifier.machineJobs || value == EventSpecifier.workOrderJobs) {
          return "jobs"
        }
        return NATSSubjectToken.escape(value)
      }
    }
  }
}

/// Byte classes of subject tokens.
enum NATSSubjectTokenBytes {
  /// A byte that may appear in a literal token: printable ASCII except `.`, `*` and `>`.
  static func isLiteral(_ byte: UInt8) -> Bool {
    byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: ".") && byte != UInt8(ascii: "*")
      && byte != UInt8(ascii: ">")
  }
}

/// Whether NATS delivers a message on `subject` to a subscription on `pattern` (`*` matches
/// one token, a final `>` one or more).
func subjectMatches(pattern: String, subject: String) -> Bool {
  var p = pattern.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)[...]
  var s = subject.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)[...]
  while let token = p.first {
    if token.elementsEqual(">".utf8) { return p.count == 1 && !s.isEmpty }
    guard let other = s.first else { return false }
    if !token.elementsEqual("*".utf8) && !token.elementsEqual(other) { return false }
    p = p.dropFirst()
    s = s.dropFirst()
  }
  return s.isEmpty
}
