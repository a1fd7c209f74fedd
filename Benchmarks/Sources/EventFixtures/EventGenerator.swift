/// Deterministic Digital Rebar Provision websocket events, one minified JSON object per event.
///
/// A call-for-call port of `shared/peers/gen_events.py` (which documents the stream's shape):
/// with the same options it writes the same bytes, so `GenerateEvents -n 200000 --seed 1` is the
/// peers' file (md5 `b1f9db21f9cbbda435e3dc470aea8f0e`). Keep the two in step: every random draw
/// happens in the same order as in the Python code, including Python's evaluation order
/// (a subscript assignment evaluates its right-hand side first; a dict literal evaluates every
/// value, even those `.get` never reads).
public struct EventGenerator {
  /// The generator's knobs, with `gen_events.py`'s defaults.
  public struct Options: Sendable {
    public var count: Int
    public var seed: UInt64
    public var machines = 3000
    public var runnableRate = 0.8
    public var barRate = 0.25
    public var gohaiRate = 0.12
    public var labNameRate = 0.4
    public var stageChangeRate = 0.3
    /// Edge events (E1–E7 of workloads.md) per kind; none when `count` is below 1,000.
    public var edgePerKind = 20

    public init(count: Int, seed: UInt64 = 1) {
      self.count = count
      self.seed = seed
    }
  }

  private var r: PythonRandom
  private let a: Options
  private var tNs = 1_513_898_803_412_554_192  // 2017-12-21T23:26:43.412554192Z
  private var machines: [Machine] = []
  private var jobs: [(machine: Machine, job: GeneratedJSON.Members)] = []
  private var workOrders: [GeneratedJSON.Members] = []
  private var profiles: [GeneratedJSON.Members] = []
  private var edgeAt: [Int: String] = [:]
  private var produced = 0

  public init(_ options: Options) {
    a = options
    r = PythonRandom(seed: options.seed)
    for i in 0..<options.machines { machines.append(newMachine(i)) }
    for i in 0..<120 { profiles.append(newProfile(i)) }
    let edgeCount = options.count >= 1000 ? options.edgePerKind * edgeKinds.count : 0
    if edgeCount > 0 {
      let step = options.count / (edgeCount + 1)
      for k in 0..<edgeCount { edgeAt[(k + 1) * step] = edgeKinds[k % edgeKinds.count] }
    }
  }

  /// The next event as minified JSON without a newline, or nil after `count` events.
  public mutating func next() -> [UInt8]? {
    guard produced < a.count else { return nil }
    defer { produced += 1 }
    var line: [UInt8] = []
    line.reserveCapacity(4096)
    if let kind = edgeAt[produced] {
      edgeEvent(kind).write(to: &line)
    } else {
      event().write(to: &line)
    }
    return line
  }

  /// The first `count` events for `seed`, each without its newline.
  public static func events(count: Int, seed: UInt64 = 1) -> [[UInt8]] {
    var generator = EventGenerator(Options(count: count, seed: seed))
    var events: [[UInt8]] = []
    events.reserveCapacity(count)
    while let event = generator.next() { events.append(event) }
    return events
  }
}

// MARK: - Tables

private let typeWeights: [(String, Double)] = [
  ("jobs", 0.30), ("leases", 0.14), ("work_orders", 0.12), ("machines", 0.09),
  ("profiles", 0.08), ("workflows", 0.06), ("params", 0.05), ("tasks", 0.05),
  ("reservations", 0.04), ("stages", 0.04), ("subnets", 0.03),
]

private let actionWeights: [String: [(String, Double)]] = [
  "jobs": [("create", 0.30), ("update", 0.45), ("save", 0.17), ("destroy", 0.08)],
  "machines": [("create", 0.04), ("update", 0.60), ("save", 0.30), ("destroy", 0.06)],
  "leases": [("create", 0.40), ("update", 0.45), ("destroy", 0.15)],
  "reservations": [("create", 0.40), ("save", 0.40), ("destroy", 0.20)],
  "work_orders": [("create", 0.40), ("update", 0.40), ("save", 0.10), ("destroy", 0.10)],
  "profiles": [("create", 0.10), ("save", 0.60), ("update", 0.25), ("destroy", 0.05)],
  "params": [("create", 0.30), ("save", 0.50), ("update", 0.10), ("destroy", 0.10)],
  "tasks": [("create", 0.30), ("save", 0.50), ("update", 0.10), ("destroy", 0.10)],
  "stages": [("create", 0.30), ("save", 0.50), ("update", 0.10), ("destroy", 0.10)],
  "workflows": [("create", 0.30), ("save", 0.50), ("update", 0.10), ("destroy", 0.10)],
  "subnets": [("create", 0.20), ("save", 0.60), ("update", 0.10), ("destroy", 0.10)],
]

private let workflow = [
  "discover", "sledgehammer-wait", "inventory", "centos-7-install", "finish-install", "complete",
]
private let altInstall = "ubuntu-20.04-install"
private let bootEnvOf: [String: String] = [
  "discover": "sledgehammer", "sledgehammer-wait": "sledgehammer", "inventory": "sledgehammer",
  "centos-7-install": "centos-7-install", altInstall: "ubuntu-20.04-install",
  "finish-install": "local", "complete": "local",
]
/// In the Python dict's order (`sum(TASKS_OF.values(), [])` depends on it).
private let tasksOfOrdered: [(String, [String])] = [
  (
    "discover",
    [
      "enforce-sledgehammer", "set-machine-ip-in-sledgehammer", "reserve-dhcp-address",
      "ssh-access", "stage-chooser",
    ]
  ),
  ("sledgehammer-wait", []),
  ("inventory", ["gohai", "inventory-check", "raid-discover", "bios-current-config"]),
  ("centos-7-install", ["centos-7-base", "set-hostname", "network-lldp"]),
  (altInstall, ["ubuntu-20.04-base", "set-hostname"]),
  ("finish-install", ["ssh-access", "drp-agent", "finish-install"]),
  ("complete", ["runner-complete"]),
]
private let tasksOf = Dictionary(uniqueKeysWithValues: tasksOfOrdered)
private let allTasks = tasksOfOrdered.flatMap { $0.1 }
private let alpha = Array("abcdefghijklmnopqrstuvwxyz")
private let b64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
private let words =
  ("the machine will boot into sledgehammer and run the discovery tasks then wait for "
  + "an operator to choose a workflow this parameter controls the kernel console the "
  + "provisioner uses when rendering templates for the installer and the runner agent "
  + "reports progress back to the endpoint over the api").split(separator: " ").map(String.init)
private let edgeKinds = ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]

/// A pool machine: mutable state shared by reference, as the Python dicts are.
private final class Machine {
  let uuid: String
  let n: Int
  let name: String
  let ip: String
  let mac: String
  let params: GeneratedJSON.Members
  var stageIndex: Int
  let alt: Bool
  var task: Int
  var runnable: Bool
  let profiles: [String]
  let secret: String
  let locked = false

  init(
    uuid: String, n: Int, name: String, ip: String, mac: String, params: GeneratedJSON.Members,
    stageIndex: Int, alt: Bool, task: Int, runnable: Bool, profiles: [String], secret: String
  ) {
    self.uuid = uuid
    self.n = n
    self.name = name
    self.ip = ip
    self.mac = mac
    self.params = params
    self.stageIndex = stageIndex
    self.alt = alt
    self.task = task
    self.runnable = runnable
    self.profiles = profiles
    self.secret = secret
  }
}

// MARK: - Formatting

/// `"%0<width>x" % value`.
private func hex(_ value: UInt64, _ width: Int) -> String {
  let digits = String(value, radix: 16)
  return digits.count >= width
    ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// `"%0<width>d" % value` for a non-negative value.
private func padded(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  return digits.count >= width
    ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// `time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))`.
private func utcTimestamp(_ seconds: Int) -> String {
  let days = seconds / 86_400
  let secondOfDay = seconds % 86_400
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  let z = days + 719_468
  let era = z / 146_097
  let dayOfEra = z - era * 146_097
  let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
  let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
  let mp = (5 * dayOfYear + 2) / 153
  let day = dayOfYear - (153 * mp + 2) / 5 + 1
  let month = mp < 10 ? mp + 3 : mp - 9
  let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  return "\(year)-\(padded(month, 2))-\(padded(day, 2))T\(padded(secondOfDay / 3600, 2)):"
    + "\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
}

// MARK: - Primitives

extension EventGenerator {
  private mutating func uuid() -> String {
    let p1 = r.getrandbits(32)
    let p2 = r.getrandbits(16)
    let p3 = r.getrandbits(12)
    let p4 = 0x8000 | r.getrandbits(14)
    let p5 = r.getrandbits(48)
    return "\(hex(p1, 8))-\(hex(p2, 4))-4\(hex(p3, 3))-\(hex(p4, 4))-\(hex(p5, 12))"
  }

  private mutating func mac() -> String {
    let x = r.randrange(256)
    let y = r.randrange(256)
    let z = r.randrange(256)
    return "52:54:00:\(hex(UInt64(x), 2)):\(hex(UInt64(y), 2)):\(hex(UInt64(z), 2))"
  }

  private mutating func ip(_ net: Int = 10) -> String {
    let b = r.randrange(4)
    let c = r.randrange(1, 8)
    let d = r.randrange(2, 254)
    return "\(net).\(b).\(c).\(d)"
  }

  private mutating func word(_ lo: Int = 4, _ hi: Int = 10) -> String {
    let n = r.randint(lo, hi)
    var s = ""
    for _ in 0..<n { s.append(r.choice(alpha)) }
    return s
  }

  private mutating func text(_ count: Int) -> String {
    var parts: [String] = []
    for _ in 0..<count { parts.append(r.choice(words)) }
    return parts.joined(separator: " ")
  }

  private mutating func b64(_ n: Int) -> String {
    var s = ""
    for _ in 0..<n { s.append(r.choice(b64Alphabet)) }
    return s
  }

  private mutating func pick(_ weighted: [(String, Double)]) -> String {
    let x = r.random()
    var acc = 0.0
    for (value, weight) in weighted {
      acc += weight
      if x < acc { return value }
    }
    return weighted[weighted.count - 1].0
  }

  private mutating func now() -> String {
    tNs += r.randint(20_000, 40_000_000)
    let seconds = tNs / 1_000_000_000
    let nanos = tNs % 1_000_000_000
    var fraction = Substring(padded(nanos, 9))
    while fraction.last == "0" { fraction.removeLast() }  // Go's RFC3339Nano trims zeros
    return utcTimestamp(seconds) + (fraction.isEmpty ? "" : "." + fraction) + "Z"
  }

  private mutating func meta(_ extra: KeyValuePairs<String, GeneratedJSON> = [:]) -> GeneratedJSON {
    let color = r.choice(["black", "blue", "green", "orange"])
    let icon = r.choice(["server", "tag", "cloud", "map"])
    var m = GeneratedJSON.Members([
      "color": .string(color), "icon": .string(icon), "title": "RackN Content",
    ])
    m.update(extra)
    return .object(m)
  }

  private mutating func modelBase() -> GeneratedJSON.Members {
    let m = meta()
    return GeneratedJSON.Members([
      "Validated": true, "Available": true, "Errors": [], "ReadOnly": false, "Meta": m,
      "Endpoint": "", "Bundle": "",
    ])
  }
}

// MARK: - Machines

extension EventGenerator {
  private mutating func machineName(_ n: Int) -> String {
    if r.random() < a.labNameRate { return "node-\(n).lab" }
    let x = r.random()
    if x < 0.35 { return "node-\(n).lab.example.com" }
    if x < 0.55 {
      return "d52-54-00-\(hex(UInt64(n % 256), 2))-\(hex(UInt64((n >> 8) % 256), 2))-07.example.com"
    }
    if x < 0.70 { return "NODE-\(n).lab" }
    if x < 0.85 { return "node-\(word(2, 3)).lab" }
    return "xnode-\(n).lab"
  }

  private mutating func gohai() -> GeneratedJSON {
    var nics = GeneratedJSON.Members()
    let nicCount = r.randint(2, 6)
    for i in 0..<nicCount {
      let name = "eno\(i + 1)"
      let hardwareAddr = mac()
      let v4 = ip() + "/24"
      let h = (0..<4).map { _ in String(r.randrange(65536), radix: 16) }
      let driver = r.choice(["ixgbe", "i40e", "bnxt_en", "tg3"])
      let model = "Ethernet Controller " + word(4, 8).uppercased()
      let speed = r.choice([1000, 10000, 25000])
      let firmware = "\(r.randrange(9)).\(r.randrange(99)).\(r.randrange(9999))"
      nics[name] = .object(
        GeneratedJSON.Members([
          "Name": .string(name), "HardwareAddr": .string(hardwareAddr), "MTU": 1500,
          "Flags": ["up", "broadcast", "multicast"],
          "Addrs": [.string(v4), .string("fe80::\(h[0]):\(h[1]):\(h[2]):\(h[3])/64")],
          "Driver": .string(driver), "Model": .string(model), "Speed": .int(speed),
          "Autonegotiation": true, "Firmware": .string(firmware),
        ]))
    }
    var disks: [GeneratedJSON] = []
    let diskCount = r.randint(2, 8)
    for i in 0..<diskCount {
      let size = r.choice([480, 960, 1920, 3840]) * 1_000_000_000
      let model = "SSD " + word(6, 10).uppercased()
      let serial = b64(16)
      let vendor = r.choice(["ATA", "NVMe", "DELL"])
      var partitions: [GeneratedJSON] = []
      let partitionCount = r.randint(1, 4)
      for j in 0..<partitionCount {
        let partitionSize = r.randrange(1_000_000_000, 100_000_000_000)
        partitions.append(
          .object(
            GeneratedJSON.Members([
              "Name": .string("sd\(alpha[i])\(j + 1)"), "Size": .int(partitionSize),
            ])))
      }
      disks.append(
        .object(
          GeneratedJSON.Members([
            "Name": .string("sd\(alpha[i])"), "Size": .int(size), "Model": .string(model),
            "Serial": .string(serial), "Vendor": .string(vendor), "Rotational": false,
            "Partitions": .array(partitions),
          ])))
    }
    let manufacturer = r.choice(["Dell Inc.", "HPE", "Supermicro"])
    let product = "PowerEdge R\(r.choice([640, 740, 750]))"
    let systemSerial = b64(12)
    let biosVersion = "2.\(r.randrange(20)).\(r.randrange(9))"
    let memoryTotal = r.choice([64, 128, 256, 512]) * (1 << 30)
    var dimms: [GeneratedJSON] = []
    let dimmCount = r.randint(2, 16)
    for i in 0..<dimmCount {
      dimms.append(
        .object(
          GeneratedJSON.Members([
            "Slot": .string("A\(i)"), "Size": .int(32 << 30), "Speed": 2933,
            "Serial": .string(b64(10)),
          ])))
    }
    let cpuModel = "AMD EPYC 7\(r.randrange(10))\(r.randrange(10))2"
    let cores = r.choice([16, 32, 64])
    let flags = (0..<60).map { _ in word(3, 7) }.joined(separator: " ")
    return .object(
      GeneratedJSON.Members([
        "Networking": .object(GeneratedJSON.Members(["Interfaces": .object(nics)])),
        "System": .object(
          GeneratedJSON.Members([
            "Manufacturer": .string(manufacturer), "ProductName": .string(product),
            "SerialNumber": .string(systemSerial),
            "BIOS": .object(
              GeneratedJSON.Members(["Vendor": "Dell Inc.", "Version": .string(biosVersion)])),
          ])),
        "Memory": .object(
          GeneratedJSON.Members(["Total": .int(memoryTotal), "Dimms": .array(dimms)])),
        "Disks": .array(disks),
        "CPU": .object(
          GeneratedJSON.Members([
            "Model": .string(cpuModel), "Cores": .int(cores), "Flags": .string(flags),
          ])),
      ]))
  }

  private mutating func newMachine(_ i: Int) -> Machine {
    let n = i + 1
    let disk = r.choice(["sda", "nvme0n1"])
    let keyLength = r.randint(200, 360)
    let key = "ssh-rsa AAAAB3NzaC1yc2E" + b64(keyLength) + " rocketskates@lab"
    let zone = r.choice(["a", "b", "c"])
    let cores = r.choice([16, 32, 64])
    let ram = r.choice([65536, 131072, 262144])
    let tagCount = r.randint(0, 4)
    let tags = (0..<tagCount).map { _ in GeneratedJSON.string(word(3, 6)) }
    var params = GeneratedJSON.Members([
      "kernel-console": "ttyS0,115200", "provisioner-default-user": "root",
      "operating-system-disk": .string(disk),
      "access-keys": .object(GeneratedJSON.Members(["rocketskates": .string(key)])),
      "rack": .string("rack-\(n % 40)"), "zone": .string(zone),
      "inventory/CPUCores": .int(cores), "inventory/RAM": .int(ram), "tags": .array(tags),
    ])
    if r.random() < 0.5 {
      var map = GeneratedJSON.Members()
      for (k, s) in workflow.enumerated() {
        map[s] = .string(workflow[(k + 1) % workflow.count] + ":Success")
      }
      params["change-stage/map"] = .object(map)
    }
    if r.random() < a.barRate { params["bar"] = .string(r.choice(["blatz", "baz", "x"])) }
    if r.random() < a.gohaiRate { params["gohai-inventory"] = gohai() }
    let stageIndex = r.randrange(workflow.count)
    let uuid = self.uuid()
    let name = machineName(n)
    let address = ip()
    let hardwareAddress = mac()
    let alt = r.random() < 0.3
    let task = r.randrange(4)
    let runnable = r.random() < a.runnableRate
    let profileCount = r.randint(1, 4)
    let profiles = r.sample(
      ["site-lab", "hw-dell", "rack-\(n % 40)", "bios-v2", "raid-1", "global-overrides"],
      profileCount)
    let secret = b64(16)
    return Machine(
      uuid: uuid, n: n, name: name, ip: address, mac: hardwareAddress, params: params,
      stageIndex: stageIndex, alt: alt, task: task, runnable: runnable, profiles: profiles,
      secret: secret)
  }

  private func stageOf(_ m: Machine) -> String {
    let s = workflow[m.stageIndex]
    return s == "centos-7-install" && m.alt ? altInstall : s
  }

  private mutating func machineObject(_ m: Machine) -> GeneratedJSON.Members {
    let stage = stageOf(m)
    let tasks = ["stage:" + stage, "bootenv:" + bootEnvOf[stage]!] + tasksOf[stage]!
    var o = modelBase()
    o["Meta"] = meta([
      "feature-flags": "change-stage-v2,sane-exit-codes", "machine-role": "worker",
    ])
    let currentJob = uuid()
    let jobState = r.choice(["running", "finished"])
    let ssnHash = b64(20)
    o.update([
      "Name": .string(m.name), "Description": "", "Uuid": .string(m.uuid),
      "Secret": .string(m.secret), "Address": .string(m.ip), "HardwareAddrs": [.string(m.mac)],
      "Arch": "amd64", "OS": "", "Stage": .string(stage), "BootEnv": .string(bootEnvOf[stage]!),
      "Workflow": "universal-discover", "Context": "", "Runnable": .bool(m.runnable),
      "Locked": .bool(m.locked), "WorkflowComplete": .bool(stage == "complete"),
      "CurrentTask": .int(min(m.task, tasks.count - 1)),
      "Tasks": .array(tasks.map(GeneratedJSON.string)),
      "Profiles": .array(m.profiles.map(GeneratedJSON.string)), "Params": .object(m.params),
      "Pool": "default", "PoolAllocated": false, "PoolStatus": "Free",
      "CurrentJob": .string(currentJob), "JobState": .string(jobState), "TaskErrorStacks": [],
      "Fingerprint": .object(
        GeneratedJSON.Members([
          "SSNHash": .string(ssnHash), "CSNHash": "", "SystemUUID": .string(m.uuid),
          "MemoryIds": [],
        ])),
    ])
    return o
  }

  private mutating func machineEvent(_ action: String) -> (
    GeneratedJSON.Members, GeneratedJSON.Members?
  ) {
    let m = r.choice(machines)
    if action == "create" || action == "destroy" {
      if action == "create" { m.task = 0 }
      return (machineObject(m), nil)
    }
    let before = machineObject(m)
    if r.random() < a.stageChangeRate {
      m.stageIndex = (m.stageIndex + 1) % workflow.count
      m.task = 0
    } else {
      m.task += 1
    }
    if r.random() < 0.05 { m.runnable = r.random() < a.runnableRate }
    var after = machineObject(m)
    if r.random() < 0.5 { after["CurrentJob"] = before["CurrentJob"] }
    return (after, before)
  }
}

// MARK: - Jobs and work orders

extension EventGenerator {
  private mutating func jobObject(
    _ m: Machine, state: String, workOrder: String, previous: GeneratedJSON.Members?, task: String
  ) -> GeneratedJSON.Members {
    var o = modelBase()
    o["Meta"] = .object(GeneratedJSON.Members())
    let stage = stageOf(m)
    let uuid = previous?["Uuid"] ?? .string(self.uuid())
    let previousUuid = self.uuid()
    let exitState = ["finished": "complete", "failed": "failed"][state] ?? ""
    let start = now()
    let tokenLength = r.randint(180, 320)
    let token = "eyJhbGciOiJSUzI1NiJ9." + b64(tokenLength) + "." + b64(86)
    o.update([
      "Uuid": uuid, "Previous": .string(previousUuid), "Machine": .string(m.uuid),
      "WorkOrder": .string(workOrder), "Task": .string(task), "Stage": .string(stage),
      "BootEnv": .string(bootEnvOf[stage]!), "Workflow": "universal-discover", "Context": "",
      "State": .string(state), "ExitState": .string(exitState), "StartTime": .string(start),
      "EndTime": "0001-01-01T00:00:00Z", "Archived": false, "Current": true,
      "CurrentIndex": .int(m.task), "NextIndex": .int(m.task + 1), "ResultErrors": [],
      "Token": .string(token),
    ])
    return o
  }

  private mutating func jobEvent(_ action: String) -> (
    GeneratedJSON.Members, GeneratedJSON.Members?
  ) {
    if action == "create" || jobs.isEmpty {
      let m = r.choice(machines)
      var workOrder = ""
      if !workOrders.isEmpty, r.random() < 0.3 {
        workOrder = r.choice(workOrders)["Uuid"]!.stringValue
      }
      let stage = stageOf(m)
      let candidates = tasksOf[stage]!
      let task = r.choice(candidates.isEmpty ? ["stage:" + stage] : candidates)
      let j = jobObject(m, state: "created", workOrder: workOrder, previous: nil, task: task)
      jobs.append((m, j))
      if jobs.count > 400 { jobs.removeFirst() }
      return (j, nil)
    }
    let idx = r.randrange(jobs.count)
    let (m, prev) = jobs[idx]
    if action == "destroy" {
      jobs.remove(at: idx)
      return (prev, nil)
    }
    // The Python dict literal draws its "running" entry whatever the state is.
    let afterRunning = r.choice(["finished", "finished", "failed"])
    let state = prev["State"]!.stringValue
    let next = ["created": "running", "running": afterRunning][state] ?? state
    var j = jobObject(
      m, state: next, workOrder: prev["WorkOrder"]!.stringValue, previous: prev,
      task: prev["Task"]!.stringValue)
    j["Stage"] = prev["Stage"]
    j["BootEnv"] = prev["BootEnv"]  // a job's stage never changes
    jobs[idx] = (m, j)
    return (j, prev)
  }

  private mutating func workOrderEvent(_ action: String) -> (
    GeneratedJSON.Members, GeneratedJSON.Members?
  ) {
    if action == "create" || workOrders.isEmpty {
      let m = r.choice(machines)
      var o = modelBase()
      let uuid = self.uuid()
      let blueprint = r.choice(["bios-configure", "raid-configure", "firmware-update", "burnin"])
      let target = word(6, 12)
      let start = now()
      o.update([
        "Uuid": .string(uuid), "Machine": .string(m.uuid), "Blueprint": .string(blueprint),
        "State": "created", "Status": "", "Filter": .string("Name=Eq(\"\(m.name)\")"),
        "Context": "",
        "Params": .object(GeneratedJSON.Members(["bios-target-configuration": .string(target)])),
        "Profiles": [], "Tasks": ["bios-current-config", "bios-configure"], "CurrentTask": -1,
        "Archived": false, "StartTime": .string(start), "EndTime": "0001-01-01T00:00:00Z",
        "JobState": "", "JobExitState": "",
      ])
      workOrders.append(o)
      if workOrders.count > 200 { workOrders.removeFirst() }
      return (o, nil)
    }
    let idx = r.randrange(workOrders.count)
    let prev = workOrders[idx]
    if action == "destroy" {
      workOrders.remove(at: idx)
      return (prev, nil)
    }
    var o = prev
    let state = prev["State"]!.stringValue
    o["State"] = .string(["created": "running", "running": "finished"][state] ?? state)
    o["CurrentTask"] = .int(prev["CurrentTask"]!.intValue + 1)
    workOrders[idx] = o
    return (o, prev)
  }
}

// MARK: - The rest

extension EventGenerator {
  private mutating func paramValue() -> GeneratedJSON {
    let x = r.random()
    if x < 0.4 { return .string(word(4, 24)) }
    if x < 0.55 { return .int(r.randrange(100000)) }
    if x < 0.65 { return .bool(r.random() < 0.5) }
    if x < 0.8 {
      let count = r.randint(1, 6)
      return .array((0..<count).map { _ in .string(word(3, 10)) })
    }
    let count = r.randint(1, 5)
    var members = GeneratedJSON.Members()
    for _ in 0..<count {
      let key = word(3, 8)  // a dict comprehension evaluates the key first
      members[key] = .string(word(4, 16))
    }
    return .object(members)
  }

  private mutating func paramName() -> String { "\(word(3, 8))/\(word(4, 14))" }

  private mutating func newProfile(_ i: Int) -> GeneratedJSON.Members {
    let big = r.random() < 0.2
    let count = big ? r.randint(60, 300) : r.randint(3, 25)
    var params = GeneratedJSON.Members()
    for _ in 0..<count {
      let key = paramName()
      params[key] = paramValue()
    }
    let name: String
    if i == 0 {
      name = "global"
      params["bar"] = "blatz"
    } else {
      name = r.choice(["site-lab", "hw-dell", "rack", "bios", "raid", "fw", "net"]) + "-\(i)"
    }
    var o = modelBase()
    let description = text(r.randint(3, 12))
    let documentation = text(r.randint(0, 80))
    o.update([
      "Name": .string(name), "Description": .string(description),
      "Documentation": .string(documentation), "Params": .object(params), "Profiles": [],
      "Partial": false,
    ])
    return o
  }

  private mutating func profileEvent(_ action: String) -> (
    GeneratedJSON.Members, GeneratedJSON.Members?
  ) {
    let idx = r.randrange(profiles.count)
    let prev = profiles[idx]
    if action == "create" || action == "destroy" { return (prev, nil) }
    var o = prev
    var params = prev["Params"]!.members
    let x = r.random()
    if x < 0.15 || params.keys.isEmpty {
      let value = paramValue()  // Python evaluates an assignment's right-hand side first
      params[paramName()] = value
    } else if x < 0.30 && params.keys.count > 1 {
      let k = r.choice(sortedKeys(params))
      if k != "bar" { params[k] = nil }
    } else {
      let value = paramValue()
      params[r.choice(sortedKeys(params))] = value
    }
    o["Params"] = .object(params)
    profiles[idx] = o
    return (o, prev)
  }

  /// `sorted(d)`: by code point, which for these ASCII keys is by byte.
  private func sortedKeys(_ members: GeneratedJSON.Members) -> [String] {
    members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  private mutating func simpleObject(_ type: String) -> GeneratedJSON.Members {
    var o = modelBase()
    switch type {
    case "leases", "reservations":
      let addr = ip()
      let token = mac()
      o.update([
        "Addr": .string(addr), "Token": .string(token), "Strategy": "MAC",
        "Options": [
          .object(GeneratedJSON.Members(["Code": 1, "Value": "255.255.255.0"])),
          .object(GeneratedJSON.Members(["Code": 3, "Value": "10.0.0.1"])),
          .object(GeneratedJSON.Members(["Code": 6, "Value": "10.0.0.2,10.0.0.3"])),
          .object(GeneratedJSON.Members(["Code": 15, "Value": "lab.example.com"])),
          .object(GeneratedJSON.Members(["Code": 67, "Value": "lpxelinux.0"])),
        ],
        "NextServer": "10.0.0.10",
      ])
      if type == "leases" {
        let expire = now()
        let state = r.choice(["PROBE", "OFFER", "ACK"])
        o.update([
          "ExpireTime": .string(expire), "State": .string(state), "Via": "10.0.0.1",
          "Duration": 7200, "ProvidesStage": "",
        ])
      } else {
        o.update(["Scoped": true, "Duration": 0, "Subnet": "lab-net", "Parameter": ""])
      }
    case "subnets":
      let name = "lab-net-\(r.randrange(8))"
      let subnet = "10.\(r.randrange(4)).0.0/22"
      let options: [GeneratedJSON] = [1, 3, 6, 15, 28, 42, 67].map { code in
        .object(GeneratedJSON.Members(["Code": .int(code), "Value": .string(word(4, 14))]))
      }
      let description = text(8)
      o.update([
        "Name": .string(name), "Subnet": .string(subnet), "Enabled": true, "Proxy": false,
        "Unmanaged": false, "Strategy": "MAC", "ActiveStart": "10.0.1.10",
        "ActiveEnd": "10.0.3.250", "ActiveLeaseTime": 60, "ReservedLeaseTime": 7200,
        "Pickers": ["hint", "nextFree", "mostExpired"], "NextServer": "10.0.0.10",
        "Options": .array(options), "Description": .string(description),
      ])
    case "params":
      var name = r.choice([
        "kernel-console", "access-keys", "operating-system-disk", "rack", "change-stage/map",
        "bios-target-configuration", "bar",
      ])
      if r.random() >= 0.5 { name += "-" + word(3, 6) }
      let description = text(r.randint(4, 14))
      let documentation = text(r.randint(10, 120))
      let schemaType = r.choice(["string", "object", "integer", "array"])
      let schemaDefault = word(3, 9)
      o.update([
        "Name": .string(name), "Description": .string(description),
        "Documentation": .string(documentation), "Secure": false,
        "Schema": .object(
          GeneratedJSON.Members(["type": .string(schemaType), "default": .string(schemaDefault)])),
      ])
    case "tasks":
      let big = r.random() < 0.15
      var templates: [GeneratedJSON] = []
      let templateCount = r.randint(1, 3)
      for _ in 0..<templateCount {
        let name = "\(word(4, 10)).sh.tmpl"
        let lineCount = big ? r.randint(60, 300) : r.randint(3, 15)
        var lines: [String] = []
        for _ in 0..<lineCount {
          let command = r.choice(["echo", "drpcli", "set -e;", "job_info"])
          let w1 = word(3, 9)
          let w2 = word(4, 12)
          lines.append("\(command) \(w1) \"{{.Param \\\"\(w2)\\\"}}\"")
        }
        templates.append(
          .object(
            GeneratedJSON.Members([
              "Name": .string(name), "Path": "",
              "Contents": .string("#!/usr/bin/env bash\n" + lines.joined(separator: "\n")),
            ])))
      }
      let name = r.choice(allTasks) + "-" + word(2, 4)
      let description = text(6)
      let documentation = text(r.randint(0, 60))
      o.update([
        "Name": .string(name), "Description": .string(description),
        "Documentation": .string(documentation), "Templates": .array(templates),
        "RequiredParams": [], "OptionalParams": ["kernel-console"], "Prerequisites": [],
        "ExtraClaims": [],
      ])
    case "stages":
      let s = r.choice(workflow + [altInstall])
      let description = text(6)
      let documentation = text(r.randint(0, 40))
      o.update([
        "Name": .string(s), "BootEnv": .string(bootEnvOf[s]!),
        "Tasks": .array(tasksOf[s]!.map(GeneratedJSON.string)),
        "Params": .object(GeneratedJSON.Members()), "Profiles": [], "Reboot": false,
        "RunnerWait": true, "Templates": [], "Description": .string(description),
        "Documentation": .string(documentation),
      ])
    case "workflows":
      let name = r.choice(["universal-discover", "universal-provision", "burnin", "decommission"])
      let description = text(8)
      let documentation = text(r.randint(0, 60))
      o.update([
        "Name": .string(name), "Stages": .array(workflow.map(GeneratedJSON.string)),
        "Description": .string(description), "Documentation": .string(documentation),
      ])
    default:
      preconditionFailure("unknown type \(type)")
    }
    return o
  }

  private mutating func simpleEvent(_ type: String, _ action: String) -> (
    GeneratedJSON.Members, GeneratedJSON.Members?
  ) {
    let o = simpleObject(type)
    guard action == "save" || action == "update" else { return (o, nil) }
    var prev = o
    for k in ["Description", "State", "ExpireTime", "Documentation", "Duration"] {
      guard let value = prev[k] else { continue }
      if case .string = value { prev[k] = .string(word(3, 9)) } else { prev[k] = 0 }
      break
    }
    return (o, prev)
  }

  // MARK: - Events

  private func key(_ type: String, _ object: GeneratedJSON.Members) -> GeneratedJSON {
    switch type {
    case "machines", "jobs", "work_orders": object["Uuid"]!
    case "leases", "reservations": object["Addr"]!
    default: object["Name"]!
    }
  }

  private mutating func principal(_ type: String) -> String {
    if type == "jobs" || (type == "machines" && r.random() < 0.6) { return "runner:" + uuid() }
    return r.choice(["user:rocketskates", "user:rocketskates", "user:admin", "system"])
  }

  private mutating func event(type fixedType: String? = nil, action fixedAction: String? = nil)
    -> GeneratedJSON.Members
  {
    let type = fixedType ?? pick(typeWeights)
    let action = fixedAction ?? pick(actionWeights[type]!)
    let (object, original) =
      switch type {
      case "machines": machineEvent(action)
      case "jobs": jobEvent(action)
      case "work_orders": workOrderEvent(action)
      case "profiles": profileEvent(action)
      default: simpleEvent(type, action)
      }
    let time = now()
    let principal = self.principal(type)
    var event = GeneratedJSON.Members([
      "Time": .string(time), "Type": .string(type), "Action": .string(action),
      "Key": key(type, object), "Principal": .string(principal), "Object": .object(object),
    ])
    if let original { event["Original"] = .object(original) }
    return event
  }

  private mutating func event() -> GeneratedJSON { .object(event(type: nil, action: nil)) }

  /// A machine event with one semantic trap (workloads.md, E1–E7).
  private mutating func edgeEvent(_ kind: String) -> GeneratedJSON {
    var event = event(type: "machines", action: kind == "E7" ? "create" : "update")
    var o = event["Object"]!.members
    let n = r.randrange(1, 5000)
    switch kind {
    case "E1": o["Name"] = .string("node-\(n).lab\n")
    case "E2": o["Name"] = .string("rack-1\nnode-\(n).lab")
    case "E3":
      o["Runnable"] = true
      var params = o["Params"]!.members
      params["bar"] = .null
      o["Params"] = .object(params)
    case "E4": o["Stage"] = ["discover"]
    case "E5": o["Stage"] = .raw("\"disc\\u006fver\"")
    case "E6":
      o["Runnable"] = 1
      var params = o["Params"]!.members
      params["bar"] = "blatz"
      o["Params"] = .object(params)
    default: o["WorkflowComplete"] = 1
    }
    event["Object"] = .object(o)
    return .object(event)
  }
}
