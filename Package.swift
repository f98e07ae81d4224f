// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "clarifai-runner",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clarifai-runner", targets: ["clarifai-runner"]),
        .library(name: "RunnerKit", targets: ["RunnerKit"]),
        .library(name: "LocalAPI", targets: ["LocalAPI"]),
        .library(name: "ClarifaiAPI", targets: ["ClarifaiAPI"]),
        // Example native model plugins (see runners/README.md); each is a dlopen-able .so.
        .library(name: "CClassifierPlugin", type: .dynamic, targets: ["CClassifierPlugin"]),
        .library(name: "CGeneratorPlugin", type: .dynamic, targets: ["CGeneratorPlugin"]),
        .library(name: "CStreamStatsPlugin", type: .dynamic, targets: ["CStreamStatsPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Generated from the official Clarifai descriptors; see Sources/ClarifaiAPI/Codegen.
        .target(
            name: "ClarifaiAPI",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Codegen"]
        ),
        // The runner engine: work sources, dispatch, handler protocol. Knows nothing of C or the CLI.
        .target(
            name: "RunnerKit",
            dependencies: [
                "ClarifaiAPI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The plugin ABI header, shared by the Swift loader and by plugin authors.
        .target(name: "CClarifaiRunnerABI"),
        // Loads native model plugins with dlopen and adapts them to RunnerKit's ModelHandler.
        .target(
            name: "CModelBackend",
            dependencies: [
                "CClarifaiRunnerABI",
                "RunnerKit",
                "ClarifaiAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // Example plugins: plain C against the ABI header alone; each folder also builds with `make`.
        .target(
            name: "CClassifierPlugin",
            dependencies: ["CClarifaiRunnerABI"],
            path: "runners/c-classifier",
            sources: ["classifier.c"],
            publicHeadersPath: "."
        ),
        .target(
            name: "CGeneratorPlugin",
            dependencies: ["CClarifaiRunnerABI"],
            path: "runners/c-generator",
            sources: ["generator.c"],
            publicHeadersPath: "."
        ),
        .target(
            name: "CStreamStatsPlugin",
            dependencies: ["CClarifaiRunnerABI"],
            path: "runners/c-stream-stats",
            sources: ["stream_stats.c"],
            publicHeadersPath: ".",
            linkerSettings: [.linkedLibrary("m")]
        ),
        // An embedded subset of the Clarifai API: dev default, test peer and demo.
        .target(
            name: "LocalAPI",
            dependencies: [
                "ClarifaiAPI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // Operational plumbing for the daemon: systemd notify/watchdog, credentials, health and metrics HTTP.
        .target(
            name: "RunnerOps",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "clarifai-runner",
            dependencies: [
                "RunnerOps",
                "RunnerKit",
                "LocalAPI",
                "CModelBackend",
                "ClarifaiAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            // The release daemon is linked by lld with packed relative relocations (DT_RELR, glibc
            // 2.36 or later): gold's 3.5 MB of plain ones were read at start-up and stayed
            // resident, about a tenth of the idle RSS (Benchmarks/README.md).
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                    .when(platforms: [.linux], configuration: .release)
                ),
            ]
        ),
        // Measures the runner against the bare gRPC transport and the official Python runner; see Benchmarks/README.md.
        .executableTarget(
            name: "clarifai-runner-bench",
            dependencies: [
                "RunnerKit",
                "LocalAPI",
                "CModelBackend",
                "ClarifaiAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks",
            exclude: ["README.md", "NoopPlugin"]
        ),
        // Real processes over real gRPC on 127.0.0.1: the built binary and the official Python packages.
        .testTarget(
            name: "EndToEndTests"
        ),
        // Faults, bad input, fuzz and soak against the real binaries on 127.0.0.1; see docs/reliability.md.
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "ClarifaiAPI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "RunnerKitTests",
            dependencies: [
                "RunnerKit",
                "LocalAPI",
                "ClarifaiAPI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ClarifaiAPITests",
            dependencies: ["ClarifaiAPI", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(
            name: "LocalAPITests",
            dependencies: [
                "LocalAPI",
                "ClarifaiAPI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "RunnerOpsTests",
            dependencies: [
                "RunnerOps",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CModelBackendTests",
            dependencies: [
                "CModelBackend",
                "CClarifaiRunnerABI",
                "RunnerKit",
                "ClarifaiAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
