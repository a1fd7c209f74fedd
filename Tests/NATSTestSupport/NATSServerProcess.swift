import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real `nats-server` on a loopback port, started for one test and killed when it ends.
///
/// The binary is `$NATS_SERVER`, else `nats-server` on PATH, else `/usr/sbin/nats-server` (Debian's
/// package, which `make deps` installs when missing).
public final class NATSServerProcess: @unchecked Sendable {
  public let port: Int
  public let clusterPort: Int?
  private let arguments: [String]
  private var process: Process?
  private let configFile: URL?

  public var url: String { "nats://127.0.0.1:\(port)" }

  /// Starts a server; `config` is the text of a configuration file (for settings that have no
  /// command-line flag, such as `max_payload`).
  public init(
    port: Int? = nil, cluster: (name: String, port: Int, routes: [Int])? = nil,
    config: String? = nil, extraArguments: [String] = []
  ) throws {
    self.port = try port ?? freeLoopbackPort()
    clusterPort = cluster?.port
    var arguments = ["-a", "127.0.0.1", "-p", String(self.port)]
    if let cluster {
      arguments += [
        "--cluster_name", cluster.name, "--cluster", "nats://127.0.0.1:\(cluster.port)",
      ]
      if !cluster.routes.isEmpty {
        arguments += [
          "--routes", cluster.routes.map { "nats://127.0.0.1:\($0)" }.joined(separator: ","),
        ]
      }
    }
    if let config {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "nats-\(self.port)-\(UUID().uuidString).conf")
      try config.write(to: file, atomically: true, encoding: .utf8)
      configFile = file
      arguments += ["-c", file.path]
    } else {
      configFile = nil
    }
    self.arguments = arguments + extraArguments
    try start()
  }

  deinit {
    kill()
    if let configFile { try? FileManager.default.removeItem(at: configFile) }
  }

  public static func binary() throws -> String {
    if let path = ProcessInfo.processInfo.environment["NATS_SERVER"] { return path }
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
      + ["/usr/sbin", "/usr/bin", "/usr/local/bin"]
    {
      let path = "\(directory)/nats-server"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw ServerNotFound()
  }

  struct ServerNotFound: Error, CustomStringConvertible {
    var description: String {
      "nats-server not found: run `make deps` (apt-get install -y nats-server) or set NATS_SERVER"
    }
  }

  /// Starts (or restarts, after ``kill()``) the server and waits until it accepts connections.
  public func start() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Self.binary())
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    self.process = process
    try waitUntilAccepting(port: port, timeout: 5)
  }

  /// Kills the server with SIGKILL (no goodbye to clients or routes) and waits for it to exit.
  public func kill() {
    guard let process, process.isRunning else { return }
    Glibc.kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    self.process = nil
  }
}

/// Three servers routed to each other on loopback, ready once every node sees the others'
/// subscriptions.
public final class NATSCluster: Sendable {
  public let nodes: [NATSServerProcess]

  public init(name: String = "winnow-test") throws {
    let ports = try (0..<3).map { _ in try freeLoopbackPort() }
    let routes = try (0..<3).map { _ in try freeLoopbackPort() }
    nodes = try (0..<3).map { i in
      try NATSServerProcess(
        port: ports[i],
        cluster: (name, routes[i], routes.enumerated().filter { $0.offset != i }.map(\.element)))
    }
  }

  public var urls: [String] { nodes.map(\.url) }
}

/// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
public func freeLoopbackPort() throws -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { throw POSIXError(.EMFILE) }
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = 0
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
  }
  guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
  _ = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
  }
  return Int(UInt16(bigEndian: address.sin_port))
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port`.
public func waitUntilAccepting(port: Int, timeout: Double) throws {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    close(fd)
    if connected == 0 { return }
    usleep(10_000)
  }
  throw POSIXError(.ETIMEDOUT)
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass; returns whether it held.
public func eventually(within seconds: Double = 5, _ condition: () async throws -> Bool)
  async rethrows
  -> Bool
{
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if try await condition() { return true }
    try? await Task.sleep(nanoseconds: 10_000_000)
  }
  return try await condition()
}
