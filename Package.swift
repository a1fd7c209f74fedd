// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Winnow",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Winnow", targets: ["Winnow"]),
    .library(name: "NATSClient", targets: ["NATSClient"]),
    .executable(name: "winnow", targets: ["WinnowCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"])]
    ),
    .target(
      name: "Winnow",
      dependencies: ["CPCRE2"]
    ),
    .executableTarget(
      name: "WinnowCLI",
      dependencies: [
        "Winnow",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // A small NATS client on SwiftNIO (the bus between hubs, issue 17); no dependency on Winnow.
    .target(
      name: "NATSClient",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
      ]
    ),
    .testTarget(
      name: "NATSClientTests",
      dependencies: ["NATSClient", "NATSTestSupport"]
    ),
    // Starts real nats-server processes (single nodes and clusters) for the tests.
    .target(
      name: "NATSTestSupport",
      dependencies: ["NATSClient"],
      path: "Tests/NATSTestSupport"
    ),
    // Several hubs sharing one event bus on NATS (issue 17): subjects, interest, sequence
    // numbers and the bus that `winnow serve --nats` plugs into the hub.
    .target(
      name: "WinnowNATS",
      dependencies: ["Winnow", "NATSClient"]
    ),
    .testTarget(
      name: "WinnowNATSTests",
      dependencies: ["WinnowNATS", "Winnow", "NATSClient", "NATSTestSupport"]
    ),
    .testTarget(
      name: "WinnowTests",
      dependencies: ["Winnow"],
      resources: [.copy("Fixtures")]
    ),
    // Runs the built `winnow` binary; it depends on nothing so that it tests the tool as a user
    // runs it. `swift build --build-tests` and `swift test` build the executable too.
    .testTarget(
      name: "WinnowCLITests",
      exclude: ["Snapshots"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
