import Foundation
import Testing

/// Compares `actual` with `Snapshots/<name>.txt`; with `RECORD_SNAPSHOTS=1` in the environment
/// (or when the file does not exist yet) writes it instead, and a missing file is an issue.
func expectSnapshot(
  _ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Snapshots/\(name).txt")
  let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
  guard !recording, let expected = try? String(contentsOf: file, encoding: .utf8) else {
    try? Data(actual.utf8).write(to: file)
    if !recording {
      Issue.record(
        "recorded a missing snapshot \(name); check it and run again",
        sourceLocation: sourceLocation)
    }
    return
  }
  #expect(
    actual == expected, "snapshot \(name) differs (RECORD_SNAPSHOTS=1 re-records it)",
    sourceLocation: sourceLocation)
}
