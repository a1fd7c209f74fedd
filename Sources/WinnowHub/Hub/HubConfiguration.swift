import Winnow

/// The settings of a hub's core.
public struct HubConfiguration: Sendable {
  /// The most items a connection's queue holds (`--max-queue`, SPEC section 9).
  public var maxQueue: Int
  /// The limits command specifiers are parsed with (their `maxBytes` is also the largest
  /// command frame accepted).
  public var specifierLimits: ParseLimits
  /// The limits published events are parsed with.
  public var eventLimits: JSONLimits

  /// The defaults: 10,000 queued items, the library's default limits (64 KiB specifiers).
  public init(
    maxQueue: Int = 10_000, specifierLimits: ParseLimits = ParseLimits(),
    eventLimits: JSONLimits = JSONLimits()
  ) {
    precondition(maxQueue > 0, "a queue holds at least one item")
    self.maxQueue = maxQueue
    self.specifierLimits = specifierLimits
    self.eventLimits = eventLimits
  }

  /// The largest command frame accepted, in bytes.
  public var maxFrameSize: Int { specifierLimits.maxBytes + 32 }
}
