// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Winnow",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Winnow", targets: ["Winnow"]),
    .executable(name: "winnow", targets: ["WinnowCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
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
    // The OpenIAP (protobuf Envelope) and OpenFlow (JSON) protocols, SPEC sections 10 and 11:
    // framing, sequencing and the command state machines, without sockets.
    .target(
      name: "WinnowOpenIAP",
      dependencies: [
        "Winnow",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]
    ),
    .testTarget(
      name: "WinnowOpenIAPTests",
      dependencies: ["WinnowOpenIAP"]
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
