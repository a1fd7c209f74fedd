// swift-tools-version:6.1
import PackageDescription

// Winnow's benchmarks (package-benchmark). Run inside this directory:
//
//     swift package --disable-sandbox benchmark
//
// See README.md for thresholds and the latest figures.
let package = Package(
  name: "WinnowBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    // The identity of a path dependency is its directory name (it differs between worktrees
    // and CI checkouts), so name it explicitly.
    .package(name: "Winnow", path: "../"),
    // Without the MallocInterposer trait (and with the default RuntimeInterposer) SwiftPM tries
    // to fetch a package that is not mirrored here; the trait alone gives malloc counts.
    .package(
      url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // Deterministic DRP websocket events (a port of shared/peers/gen_events.py), shared by the
    // benchmarks and the GenerateEvents tool.
    .target(name: "EventFixtures"),
    .executableTarget(
      name: "GenerateEvents",
      dependencies: ["EventFixtures"]
    ),
    .executableTarget(
      name: "WinnowBenchmarks",
      dependencies: [
        "EventFixtures",
        .product(name: "Winnow", package: "Winnow"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/WinnowBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
