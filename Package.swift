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
    // Only for `swift package generate-documentation` (`make docs`); adds nothing to the products.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
    ),
    // SSE2 byte-class scans for the JSON parser's hot loops (static inline C, see its header).
    .target(name: "CWinnowSIMD"),
    .target(
      name: "Winnow",
      dependencies: ["CPCRE2", "CWinnowSIMD"]
    ),
    .executableTarget(
      name: "WinnowCLI",
      dependencies: [
        "Winnow",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      plugins: ["BuildCommit"]
    ),
    // Records the git commit for `winnow --version` (see Plugins/BuildCommit).
    .plugin(name: "BuildCommit", capability: .buildTool()),
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
