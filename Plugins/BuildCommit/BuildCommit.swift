import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift`, which holds the git commit the package is built from, before every
/// build of the target that uses the plugin.
///
/// The commit is `git rev-parse --short=12 HEAD` of the package's checkout, with `-dirty` when
/// tracked files differ from it, and `unknown` when the sources are not a git checkout or git is
/// missing. The file is replaced only when its text changes, so an unchanged commit rebuilds
/// nothing.
@main
struct BuildCommit: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
    let script = """
      set -u
      mkdir -p "$2"
      commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
      if [ "$commit" != unknown ] && ! git -C "$1" diff --quiet HEAD -- 2>/dev/null; then
        commit="$commit-dirty"
      fi
      text="/// The git commit this build was made from (written by the BuildCommit plugin).
      let buildCommit = \\"$commit\\""
      if [ "$(cat "$2/BuildCommit.swift" 2>/dev/null)" != "$text" ]; then
        printf '%s\\n' "$text" > "$2/BuildCommit.swift"
      fi
      """
    return [
      .prebuildCommand(
        displayName: "Recording the git commit of \(target.name)",
        executable: URL(fileURLWithPath: "/bin/sh"),
        arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
        environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"],
        outputFilesDirectory: output
      )
    ]
  }
}
