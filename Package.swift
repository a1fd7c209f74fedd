// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Winnow",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Winnow", targets: ["Winnow"]),
    .library(name: "WinnowHub", targets: ["WinnowHub"]),
    .library(name: "NATSClient", targets: ["NATSClient"]),
    .executable(name: "winnow", targets: ["WinnowCLI"]),
  ],
  // `Hub` (on by default) builds `winnow serve` and `winnow watch` into the CLI. Without it
  // (`swift build --product winnow --disable-default-traits`, `make release HUB=0`) the tool
  // filters files and streams only and compiles none of the network stack. The library products
  // never depend on it: a client of `Winnow` builds only that target and PCRE2.
  traits: [
    .trait(name: "Hub", description: "winnow serve and winnow watch (SwiftNIO, Hummingbird, gRPC)"),
    .default(enabledTraits: ["Hub"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // Only for `swift package generate-documentation` (`make docs`); adds nothing to the products.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    // The network stack, used only by WinnowHub (and so by the CLI): a client of the `Winnow`
    // library product builds none of it. Hummingbird's default traits pull swift-configuration
    // and full Foundation, which the hub does not need.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0", traits: []),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
    ),
    // SSE2 byte-class scans for the JSON parser's hot loops (static inline C, see its header).
    .target(name: "CWinnowSIMD"),
    // Keeps a mapped input file that shrinks under `winnow match` from ending the process.
    .target(name: "CWinnowMapping"),
    .target(
      name: "Winnow",
      dependencies: ["CPCRE2", "CWinnowSIMD", "CWinnowMapping"]
    ),
    // The DRP websocket event hub (`winnow serve`) and client (`winnow watch`), SPEC section 9.
    .target(
      name: "WinnowHub",
      dependencies: [
        "Winnow",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "WSClient", package: "swift-websocket"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOWebSocket", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]
    ),
    .executableTarget(
      name: "WinnowCLI",
      dependencies: [
        "Winnow",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .target(name: "WinnowHub", condition: .when(traits: ["Hub"])),
        .target(name: "WinnowNATS", condition: .when(traits: ["Hub"])),
        .target(name: "WinnowHubOpenIAP", condition: .when(traits: ["Hub"])),
        .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Hub"])),
        .product(
          name: "ServiceLifecycle", package: "swift-service-lifecycle",
          condition: .when(traits: ["Hub"])),
      ],
      plugins: ["BuildCommit"]
    ),
    // Records the git commit for `winnow --version` (see Plugins/BuildCommit).
    .plugin(name: "BuildCommit", capability: .buildTool()),
    // A small NATS client on SwiftNIO (the bus between hubs, issue 17); no dependency on Winnow.
    .target(
      name: "NATSClient",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
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
    // The hub's OpenIAP and OpenFlow transports: websocket handlers, TCP and gRPC listeners.
    .target(
      name: "WinnowHubOpenIAP",
      dependencies: [
        "WinnowOpenIAP",
        "WinnowHub",
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]
    ),
    .testTarget(
      name: "WinnowOpenIAPTests",
      dependencies: ["WinnowOpenIAP"]
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
      dependencies: [
        "Winnow", "WinnowHub", "NATSClient",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]
    ),
    .testTarget(
      name: "WinnowNATSTests",
      dependencies: ["WinnowNATS", "Winnow", "WinnowHub", "NATSClient", "NATSTestSupport"]
    ),
    .testTarget(
      name: "WinnowTests",
      dependencies: ["Winnow"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "WinnowHubTests",
      dependencies: [
        "WinnowHub",
        .product(name: "WSClient", package: "swift-websocket"),
        .product(name: "NIOWebSocket", package: "swift-nio"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]
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
