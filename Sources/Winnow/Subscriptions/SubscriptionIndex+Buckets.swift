// The buckets of the index: which buckets a specifier is placed in, and the map that finds
// a bucket from an event's bytes.
//
// | type entry | key entry | bucket |
// | --- | --- | --- |
// | `t` | `k` | the map, under (type and key, t, k) |
// | `t` | `*` | the map, under (type, t) |
// | `*` | `k` | the map, under (key, k) |
// | `*` | `*` | fixed bucket 0 |
// | `machine_jobs` | `k` | the map, under (machine, k) |
// | `machine_jobs` | `*` | fixed bucket 1 |
// | `work_order_jobs` | `k` | the map, under (work order, k) |
// | `work_order_jobs` | `*` | fixed bucket 2 |
//
// Specifiers of the operand index are in the map under (operand kind, path id, value).

extension SubscriptionIndex {
  /// The namespaces of bucket keys in ``bucketMap``.
  enum Namespace: UInt8, CaseIterable {
    case typeAndKey, type, key, machine, workOrder
    /// The operand index: a string, a number (its float's bits) or `null`/`false`/`true`.
    case operandString, operandNumber, operandConstant
  }

  static let anyTypeAnyKey: Int32 = 0
  static let machineJobsAnyKey: Int32 = 1
  static let workOrderJobsAnyKey: Int32 = 2

  /// Where a specifier sits in one bucket.
  struct BucketSlot {
    var bucket: Int32
    var position: Int32
  }

  /// A bucket a specifier is placed in: a fixed one, or one found under a map key.
  enum BucketKey: Hashable {
    case fixed(Int32)
    case mapped(Namespace, [UInt8], [UInt8])

    /// The map's word-at-a-time hash (the synthesized one feeds the hasher byte by byte).
    func hash(into hasher: inout Hasher) {
      switch self {
      case .fixed(let bucket):
        hasher.combine(bucket)
      case .mapped(let namespace, let a, let b):
        hasher.combine(
          a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in ByteKeyMap.hash(namespace.rawValue, a, b) }
          })
      }
    }

    /// The bucket of an operand value under the operand path `path`.
    static func operand(_ value: OperandValue, path: Int32) -> BucketKey {
      .mapped(value.namespace, OperandValue.pathBytes(path), value.bytes)
    }
  }

  /// The distinct buckets of a specifier placed by type and key: one per (type entry, key
  /// entry) pair.
  static func bucketKeys(of specifier: EventSpecifier) -> [BucketKey] {
    // The common shapes first, without building the cross product (register throughput).
    if specifier.ordinaryTypes.count == 1, !specifier.selectsMachineJobs,
      !specifier.selectsWorkOrderJobs
    {
      let type = specifier.ordinaryTypes[0]
      guard let keys = specifier.keyValues else { return [.mapped(.type, type, [])] }
      if keys.count == 1 { return [.mapped(.typeAndKey, type, keys[0])] }
    }
    enum TypeEntry: Hashable {
      case any, machineJobs, workOrderJobs
      case type([UInt8])
    }
    var types: [TypeEntry] = []
    if specifier.typeValues == nil { types.append(.any) }
    if specifier.selectsMachineJobs { types.append(.machineJobs) }
    if specifier.selectsWorkOrderJobs { types.append(.workOrderJobs) }
    for type in specifier.ordinaryTypes where !types.contains(.type(type)) {
      types.append(.type(type))
    }
    var keys: [[UInt8]?] = []
    for key in specifier.keyValues ?? [] where !keys.contains(key) { keys.append(key) }
    if specifier.keyValues == nil { keys.append(nil) }

    var result: [BucketKey] = []
    for type in types {
      for key in keys {
        switch (type, key) {
        case (.any, nil): result.append(.fixed(anyTypeAnyKey))
        case (.any, let key?): result.append(.mapped(.key, key, []))
        case (.machineJobs, nil): result.append(.fixed(machineJobsAnyKey))
        case (.machineJobs, let key?): result.append(.mapped(.machine, key, []))
        case (.workOrderJobs, nil): result.append(.fixed(workOrderJobsAnyKey))
        case (.workOrderJobs, let key?): result.append(.mapped(.workOrder, key, []))
        case (.type(let type), nil): result.append(.mapped(.type, type, []))
        case (.type(let type), let key?): result.append(.mapped(.typeAndKey, type, key))
        }
      }
    }
    return result
  }

  /// Appends specifier `id` to the bucket of `key` (created when missing); returns its slot.
  func place(_ id: Int32, in key: BucketKey) -> BucketSlot {
    let (bucket, isNew) = buckets.internNoting(key) { [] }
    let count = buckets.modify(bucket) { members in
      members.append(id)
      return members.count
    }
    if case .mapped(let namespace, let a, let b) = key {
      if isNew {
        // The map's hint names the only specifier of a bucket; a second one clears it.
        bucketMap.insert(namespace.rawValue, a, b, SubscriptionIndex.mapValue(bucket, only: id))
        namespaceCounts[Int(namespace.rawValue)] += 1
      } else if count == 2 {
        bucketMap.update(namespace.rawValue, a, b, SubscriptionIndex.mapValue(bucket, only: -1))
      }
    }
    return BucketSlot(bucket: bucket, position: Int32(count - 1))
  }

  /// Removes specifier `id` from the bucket of `slot` (swap-removal), and the bucket once it
  /// is empty.
  func takeOut(_ id: Int32, from slot: BucketSlot) {
    let (moved, left) = buckets.modify(slot.bucket) { members in
      let moved = members.removeLast()
      if moved != id { members[Int(slot.position)] = moved }
      return (moved, members.first)
    }
    if moved != id { move(moved, in: slot.bucket, to: slot.position) }
    let key = buckets.key(of: slot.bucket)
    buckets.release(slot.bucket)
    guard case .mapped(let namespace, let a, let b) = key else { return }
    let count = buckets.users[Int(slot.bucket)]
    if count == 0 {
      bucketMap.remove(namespace.rawValue, a, b)
      namespaceCounts[Int(namespace.rawValue)] -= 1
    } else if count == 1, let only = left {
      bucketMap.update(
        namespace.rawValue, a, b, SubscriptionIndex.mapValue(slot.bucket, only: only))
    }
  }

  // MARK: - Map values

  /// What the map holds for a bucket: its id, and the id of its only specifier (-1 when it
  /// holds several), so that dispatch reaches a one-specifier bucket without reading it.
  static func mapValue(_ bucket: Int32, only specifier: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: bucket)) | UInt64(UInt32(bitPattern: specifier)) << 32
  }

  @inline(__always)
  static func bucket(ofMapValue value: UInt64) -> Int32 {
    Int32(bitPattern: UInt32(truncatingIfNeeded: value))
  }

  @inline(__always)
  static func onlySpecifier(ofMapValue value: UInt64) -> Int32 {
    Int32(bitPattern: UInt32(truncatingIfNeeded: value >> 32))
  }
}
