import Winnow

/// The oracle of FuzzSubscriptions: `SubscriptionRegistry` (the websocket `register` and
/// `deregister` of SPEC section 7) against a plain model, on operations drawn from the bytes.
///
/// Each step takes an operation (register, deregister, deregister all, dispatch), a subscriber
/// (0–3) and a specifier text (from a vocabulary of valid, equivalent and invalid texts, or
/// bytes taken straight from the input) or an event. The model keeps, per subscriber, reference
/// counts by canonical text, and matches with ``ReferenceSpecifier``.
///
/// - `register` and `deregister` succeed or fail as the model says (`.invalidSpecifier` for a
///   text the parser rejects, `.notRegistered` for what the subscriber does not hold) and a
///   refused request changes nothing; `deregisterAll` returns the references dropped.
/// - After every step, `registrations(of:)`, `activeSubscribers` and `specifierCount` equal the
///   model's.
/// - A dispatched event reaches exactly the subscribers holding a matching specifier, each once.
///
/// Returns nil when every check holds, or a message naming the first that failed.
public func checkSubscriptions(_ bytes: [UInt8]) -> String? {
  var input = FuzzBytes(bytes)
  let registry = SubscriptionRegistry<Int>()
  var model: [Int: [String: Int]] = [:]
  var steps = 0
  while !input.isExhausted, steps < 64 {
    steps += 1
    let operation = input.below(8)
    let subscriber = input.below(4)
    switch operation {
    case 0, 1, 2, 3:
      let text = specifierText(&input)
      let canonical = (try? EventSpecifier(parsing: text))?.canonicalText
      if operation <= 1 {
        do {
          try registry.register(text, for: subscriber)
          guard let canonical else {
            return "registered the invalid specifier \(text.debugDescription)"
          }
          model[subscriber, default: [:]][canonical, default: 0] += 1
        } catch {
          guard canonical == nil, case .invalidSpecifier = error else {
            return "register \(text.debugDescription) failed: \(error)"
          }
        }
      } else {
        let held = canonical.flatMap { model[subscriber]?[$0] } ?? 0
        do {
          try registry.deregister(text, for: subscriber)
          guard held > 0, let canonical else {
            return
              "deregistered \(text.debugDescription), which subscriber \(subscriber) does not hold"
          }
          model[subscriber]![canonical] = held == 1 ? nil : held - 1
        } catch {
          switch error {
          case .invalidSpecifier:
            guard canonical == nil else { return "deregister \(text.debugDescription): \(error)" }
          case .notRegistered:
            guard canonical != nil, held == 0 else {
              return "deregister \(text.debugDescription): \(error), but it is held \(held) times"
            }
          }
        }
      }
    case 4:
      let expected = model[subscriber]?.values.reduce(0, +) ?? 0
      let dropped = registry.deregisterAll(for: subscriber)
      model[subscriber] = nil
      guard dropped == expected else { return "deregisterAll dropped \(dropped), held \(expected)" }
    default:
      let event = input.pick(subscriptionEvents)
      let delivered = registry.subscribers(matching: event.event)
      guard Set(delivered).count == delivered.count else { return "delivered twice: \(delivered)" }
      let expected = Set(
        model.filter { _, held in
          held.keys.contains { ReferenceSpecifier.matches(canonical: $0, event.value) }
        }.keys)
      guard Set(delivered) == expected else {
        return
          "\(event.value.minified) delivered to \(delivered.sorted()), expected \(expected.sorted()); registrations \(model)"
      }
    }
    model = model.filter { !$0.value.isEmpty }
    for subscriber in 0..<4 {
      guard registry.registrations(of: subscriber) == model[subscriber, default: [:]] else {
        return
          "subscriber \(subscriber) holds \(registry.registrations(of: subscriber)), expected \(model[subscriber, default: [:]])"
      }
    }
    guard Set(registry.activeSubscribers) == Set(model.keys) else {
      return "active subscribers \(registry.activeSubscribers), expected \(model.keys.sorted())"
    }
    let distinct = Set(model.values.flatMap(\.keys)).count
    guard registry.specifierCount == distinct else {
      return "specifierCount \(registry.specifierCount), expected \(distinct)"
    }
  }
  return nil
}

/// Specifier texts: several spell the same registration, some are invalid; or input bytes.
let subscriptionSpecifiers = [
  "*.*.*", "machines.*.*", "machines.save.*", "machines.save.m1", "machines,profiles.*.m1",
  #"machines.*.*.Object.Stage=Changed()"#, #"machines.*.*.Object.Stage = Changed( )"#,
  #"machines.*.*.Object.Stage=Changed(,"b")"#, "machine_jobs.*.m1", "machine_jobs,machines.*.m1",
  "work_order_jobs.*.w1", "jobs.*.*", #"*.*.*.Key=Re("^m")"#, #"*.*.*.Key=In("m1","w1")"#,
  #"profiles.save.my\1profile"#, "profiles.save.my.profile", "a..c", "a,*.b.c", "*.*.*.",
  #"*.*.*.Not(Type=Eq("jobs"))"#, "machines.save.m1,m2", #"machines.save.m\3"#, "machines.save.m*",
]

func specifierText(_ input: inout FuzzBytes) -> String {
  if input.chance(85) { return input.pick(subscriptionSpecifiers) }
  let count = input.below(40)
  return String(decoding: (0..<count).map { _ in input.byte() }, as: UTF8.self)
}

let subscriptionEvents: [(value: JSONValue, event: Event)] = [
  #"{"Type":"machines","Action":"save","Key":"m1","Object":{"Stage":"b"},"Original":{"Stage":"a"}}"#,
  #"{"Type":"machines","Action":"save","Key":"m2","Object":{"Stage":"a"},"Original":{"Stage":"a"}}"#,
  #"{"Type":"machines","Action":"create","Key":"m*","Object":{"Stage":"a"}}"#,
  #"{"Type":"profiles","Action":"save","Key":"my.profile","Object":{}}"#,
  #"{"Type":"profiles","Action":"save","Key":"m1"}"#,
  #"{"Type":"jobs","Action":"create","Key":"j1","Object":{"Machine":"m1","WorkOrder":"w1"}}"#,
  #"{"Type":"jobs","Action":"update","Key":"j2","Object":{"Machine":"m2","WorkOrder":""}}"#,
  #"{"Type":"machine_jobs","Action":"save","Key":"m1"}"#,
  #"{"Action":"save"}"#,
].map { text in
  let value = try! JSONValue(parsing: text)
  return (value, try! Event(value))
}

extension ReferenceSpecifier {
  /// Whether the specifier with this canonical text matches the event, read by the reference.
  static func matches(canonical: String, _ event: JSONValue) -> Bool {
    guard case .success(let specifier) = parse(Array(canonical.utf8)) else { return false }
    return specifier.matches(event)
  }
}
