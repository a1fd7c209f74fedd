// swift-tools-version:6.1
// Coverage-guided fuzzing of every entry point that reads untrusted text (see README.md).
// Build one target: swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
//   -Xswiftc -enable-testing (FuzzOracles uses @testable import for the internal regex front end) \
//   -Xswiftc -use-ld=lld --product FuzzJSON     (or just ./run.sh FuzzJSON 60)
import PackageDescription

// A path dependency's identity is its directory's name (`main`, `wt-fuzz`, ...), not the name in
// its manifest, so the product reference is built from where this checkout lives.
let root =
  Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "winnow"
let winnow: Target.Dependency = .product(name: "Winnow", package: root.lowercased())

let package = Package(
  name: "WinnowFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [
    // The root package (library `Winnow`).
    .package(path: "..")
  ],
  targets: [
    // The oracles, shared with the root package's FuzzRegressionTests (which compiles this
    // folder through the symlink Tests/WinnowTests/FuzzOracles): they return a failure message
    // instead of trapping, so a unit test can report it and a fuzz target can crash on it.
    .target(name: "FuzzOracles", dependencies: [winnow]),
    .executableTarget(name: "FuzzJSON", dependencies: [winnow, "FuzzOracles"]),
    .executableTarget(name: "FuzzEval", dependencies: [winnow, "FuzzOracles"]),
    .executableTarget(name: "FuzzFilter", dependencies: [winnow, "FuzzOracles"]),
    .executableTarget(name: "FuzzSpecifier", dependencies: [winnow, "FuzzOracles"]),
    .executableTarget(name: "FuzzRegex", dependencies: [winnow, "FuzzOracles"]),
    .executableTarget(name: "FuzzNDJSON", dependencies: [winnow, "FuzzOracles"]),
    .executableTarget(name: "FuzzSubscriptions", dependencies: [winnow, "FuzzOracles"]),
  ],
  swiftLanguageModes: [.v6]
)
