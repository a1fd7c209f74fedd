import Winnow

/// The `watchevent` Envelope pushed for an event that matches a watch (SPEC section 10).
package enum OpenIAPWatchEvent {
  /// `watchevent` carrying WatchEvent `{id: watchID, operation: the event's Action, document:
  /// the event's JSON byte for byte}`.
  package static func envelope(watchID: String, action: String, json: some Collection<UInt8>)
    -> Openiap_Envelope
  {
    var event = Openiap_WatchEvent()
    event.id = watchID
    event.operation = action
    event.document = String(decoding: json, as: UTF8.self)
    var envelope = Openiap_Envelope()
    envelope.command = "watchevent"
    envelope.id = MessageIDGenerator.next()
    envelope.data = Openiap_Envelope.packed(event)
    return envelope
  }
}
