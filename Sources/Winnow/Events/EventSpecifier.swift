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
/// Two specifiers are equal when their canonical texts are: the type, action and key parts
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
  /// The filter part, compiled once when the specifier is parsed (nil when there is no filter,
  /// or when the registry parsed it and compiles only filters it has not seen yet).
  let compiledFilter: CompiledFilter?

  /// The filter after the third `.`, if there is one.
  public let filter: Filter?
  /// The canonical form: type, action and key as written, then `.` and the filter's
  /// canonical form when there is a filter. Registrations are identified by it.
  public let canonicalText: String

  init(
    types: [[UInt8]]?, actions: [[UInt8]]?, keys: [[UInt8]]?, filter: Filter?,
    canonicalText: String, compilingFilter: Bool = true
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
    compiledFilter = compilingFilter ? filter.map { $0.compiled() } : nil
    self.canonicalText = canonicalText
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

  public static func == (a: EventSpecifier, b: EventSpecifier) -> Bool {
    a.canonicalText == b.canonicalText
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(canonicalText) }
}
