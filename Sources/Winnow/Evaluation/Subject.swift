/// What a compiled filter is evaluated against: a parsed document, and for an event, where its
/// `Object` and `Original` are.
///
/// A trivial struct of pointers and indices, so passing it to an evaluator costs no reference
/// counting. Valid only while the document it views is alive.
struct Subject {
  let view: JSONView
  /// The node fields are looked up from: the document's root.
  let root: Int
  /// Whether the event rules apply (SPEC section 4): `Changed` compares Object and Original.
  let isEvent: Bool
  /// The event's `Object` node, or -1 when it is missing or null.
  let object: Int
  /// The event's `Original` node, or -1 when it is missing or null.
  let original: Int

  /// A plain JSON subject.
  init(plain view: JSONView) {
    self.view = view
    root = 0
    isEvent = false
    object = -1
    original = -1
  }

  /// An event subject.
  init(event view: JSONView, fields: EventFields) {
    self.view = view
    root = 0
    isEvent = true
    object = fields.object
    original = fields.original
  }
}
