import Synchronization

/// Which events a websocket client asks for: `type.action.key`, optionally followed by
/// `.filter` (SPEC section 2).
///
/// Each of type, action and key is `*` (any value) or a comma-separated list of values, with
/// the escapes `\1` for `.`, `\2` for `,` and `\3` for `*`. The type entries `machine_jobs` and
/// `work_order_jobs` select job events by their `Object.Machine` or `Object.WorkOrder` string,
/// compared with the key values; they have only that meaning, so an event whose `Type` is
/// literally `machine_jobs` is not matched by them (match it with
/// `*.*.*.Type=Eq("machine_jobs")`).
///
/// A specifier is syntax: matching one is the one-specifier case of ``EventMatcher`` (the
/// engine behind ``SubscriptionRegistry`` too), which ``matches(_:)-(Event)`` builds on first
/// use and keeps.
///
/// Two specifiers are equal when their canonical texts are (byte for byte): the type, action and key parts
/// exactly as written, then the filter's canonical form. So whitespace inside the filter does not
/// make two specifiers different, but `a*b` and `a\3b` (the same value, written differently) do.
public struct EventSpecifier: Hashable, Sendable, CustomStringConvertible {
  /// One of the three dotted parts: any value, or a list of values.
  public enum Part: Hashable, Sendable {
    /// `*`: any value.
    case any
    /// The decoded values of a comma-separated list, in the order written (never empty).
    case values([String])
  }

  /// The special type entry selecting the jobs of the machines named by the key values.
  public static let machineJobs = "machine_jobs"
  /// The special type entry selecting the jobs of the work orders named by the key values.
  public static let workOrderJobs = "work_order_jobs"

  /// The decoded type values, or nil for `*`.
  let typeValues: [[UInt8]]?
  /// The decoded action values, or nil for `*`.
  let actionValues: [[UInt8]]?
  /// The decoded key values, or nil for `*`.
  let keyValues: [[UInt8]]?
  /// The type values other than the special job entries.
  let ordinaryTypes: [[UInt8]]
  /// Whether the type list holds `machine_jobs`.
  let selectsMachineJobs: Bool
  /// Whether the type list holds `work_order_jobs`.
  let selectsWorkOrderJobs: Bool
  /// The matcher of this specifier alone, built on the first `matches`.
  private var matcher: LazyMatcher

  /// The filter after the third `.`, if there is one.
  public let filter: Filter?
  /// The canonical form: type, action and key as written, then `.` and the filter's canonical form
  /// when there is a filter.
  ///
  /// Registrations are identified by it.
  public let canonicalText: String

  init(
    types: [[UInt8]]?, actions: [[UInt8]]?, keys: [[UInt8]]?, filter: Filter?, header: String
  ) {
    typeValues = types
    var ordinary: [[UInt8]] = []
    var machineJobs = false
    var workOrderJobs = false
    for type in types ?? [] {
      if type.elementsEqual(EventSpecifier.machineJobs.utf8) {
        machineJobs = true
      } else if type.elementsEqual(EventSpecifier.workOrderJobs.utf8) {
        workOrderJobs = true
      } else {
        ordinary.append(type)
      }
    }
    ordinaryTypes = machineJobs || workOrderJobs ? ordinary : (types ?? [])
    selectsMachineJobs = machineJobs
    selectsWorkOrderJobs = workOrderJobs
    actionValues = actions
    keyValues = keys
    self.filter = filter
    canonicalText = filter.map { header + "." + $0.canonicalText } ?? header
    matcher = LazyMatcher()
  }

  /// The specifier `*.*.*.FILTER`: every event the filter holds for (what `--filter` means).
  public init(filter: Filter) {
    self.init(types: nil, actions: nil, keys: nil, filter: filter, header: "*.*.*")
  }

  /// A specifier built from its parts; values are written with the escapes `\1`, `\2` and `\3`
  /// where needed.
  ///
  /// Throws (code ``Diagnostic/Code/invalidSpecifier``, offset in the canonical text) when a value
  /// cannot be written: an empty value, an empty list, or whitespace.
  public init(types: Part, actions: Part, keys: Part, filter: Filter? = nil) throws(Diagnostic) {
    let header = [types, actions, keys].map(EventSpecifier.text(of:)).joined(separator: ".")
    let parsed = try Array(header.utf8).withUnsafeBufferPointer { bytes throws(Diagnostic) in
      try EventSpecifierParser.parse(bytes, limits: ParseLimits())
    }
    self.init(
      types: parsed.typeValues, actions: parsed.actionValues, keys: parsed.keyValues,
      filter: filter, header: parsed.canonicalText)
  }

  /// A part as written: `*`, or the values escaped and joined by `,`.
  private static func text(of part: Part) -> String {
    guard case .values(let values) = part else { return "*" }
    return values.map { value in
      var out = ""
      for c in value.unicodeScalars {
        switch c {
        case ".": out += "\\1"
        case ",": out += "\\2"
        case "*": out += "\\3"
        default: out.unicodeScalars.append(c)
        }
      }
      return out
    }.joined(separator: ",")
  }

  /// The type part.
  public var types: Part { EventSpecifier.part(typeValues) }
  /// The action part.
  public var actions: Part { EventSpecifier.part(actionValues) }
  /// The key part.
  public var keys: Part { EventSpecifier.part(keyValues) }

  private static func part(_ values: [[UInt8]]?) -> Part {
    values.map { .values($0.map { String(decoding: $0, as: UTF8.self) }) } ?? .any
  }

  public var description: String { canonicalText }

  /// Canonical texts compare as UTF-8 bytes (values compare byte for byte, SPEC section 2).
  public static func == (a: EventSpecifier, b: EventSpecifier) -> Bool {
    ExactText(a.canonicalText) == ExactText(b.canonicalText)
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(ExactText(canonicalText)) }

  /// The matcher of this specifier alone, built once.
  var soleMatcher: EventMatcher {
    matcher.value.withLock { cached in
      if let cached { return cached }
      // The matcher keeps a copy of this specifier: that copy gets a cache of its own, or the
      // cache would hold the matcher that holds the cache (a reference cycle: a leak per
      // specifier, found by FuzzSpecifier's LeakSanitizer).
      var detached = self
      detached.matcher = LazyMatcher()
      let built = EventMatcher(detached)
      cached = built
      return built
    }
  }
}

/// Where a specifier keeps the matcher built for it, shared by its copies.
private final class LazyMatcher: Sendable {
  let value = Mutex<EventMatcher?>(nil)
}
