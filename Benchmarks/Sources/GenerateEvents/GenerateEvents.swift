import EventFixtures

// Writes deterministic DRP websocket events as NDJSON, byte for byte what
// shared/peers/gen_events.py writes for the same arguments:
//
//     swift run -c release GenerateEvents -n 200000 --seed 1 > events.ndjson
//     swift run -c release GenerateEvents -n 200000 --seed 1 -o events.ndjson
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@main
enum GenerateEvents {
  static func main() {
    var options = EventGenerator.Options(count: 200_000, seed: 1)
    var outputPath = "-"
    var arguments = CommandLine.arguments.dropFirst()
    while let flag = arguments.popFirst() {
      if flag == "-h" || flag == "--help" { usage("deterministic DRP events as NDJSON") }
      guard let value = arguments.popFirst() else { usage("\(flag) needs a value") }
      func int() -> Int {
        guard let v = Int(value), v >= 0 else { usage("\(flag) needs a non-negative integer") }
        return v
      }
      func rate() -> Double {
        guard let v = Double(value), (0...1).contains(v) else {
          usage("\(flag) needs a rate in [0, 1]")
        }
        return v
      }
      switch flag {
      case "-n": options.count = int()
      case "--seed": options.seed = UInt64(int())
      case "-o", "--output": outputPath = value
      case "--machines": options.machines = max(1, int())
      case "--runnable-rate": options.runnableRate = rate()
      case "--bar-rate": options.barRate = rate()
      case "--gohai-rate": options.gohaiRate = rate()
      case "--lab-name-rate": options.labNameRate = rate()
      case "--stage-change-rate": options.stageChangeRate = rate()
      case "--edge-per-kind": options.edgePerKind = int()
      default: usage("unknown option \(flag)")
      }
    }

    let fd = outputPath == "-" ? 1 : open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { fail("cannot open \(outputPath) for writing") }
    var generator = EventGenerator(options)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    while let line = generator.next() {
      buffer.append(contentsOf: line)
      buffer.append(UInt8(ascii: "\n"))
      if buffer.count >= 1 << 20 { writeAll(fd, &buffer) }
    }
    writeAll(fd, &buffer)
    if fd != 1, close(fd) != 0 { fail("cannot close \(outputPath)") }
  }

  static func writeAll(_ fd: Int32, _ buffer: inout [UInt8]) {
    buffer.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { fail("write failed") }
        offset += written
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }

  static func fail(_ message: String) -> Never {
    printError("GenerateEvents: \(message)\n")
    exit(1)
  }

  static func usage(_ message: String) -> Never {
    printError(
      """
      GenerateEvents: \(message)
      usage: GenerateEvents [-n COUNT] [--seed SEED] [-o FILE] [--machines N]
                            [--runnable-rate R] [--bar-rate R] [--gohai-rate R]
                            [--lab-name-rate R] [--stage-change-rate R] [--edge-per-kind N]

      """)
    exit(2)
  }

  static func printError(_ text: String) {
    var bytes = Array(text.utf8)
    writeAll(2, &bytes)
  }
}
