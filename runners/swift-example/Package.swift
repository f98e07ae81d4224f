// swift-tools-version:6.0
// A model served by clarifai-runner's engine from your own Swift package.
import PackageDescription

let package = Package(
    name: "swift-example",
    platforms: [.macOS(.v15)],
    dependencies: [
        // In your project: .package(url: "https://github.com/<you>/clarifai-runner", from: "0.1.0")
        .package(name: "clarifai-runner", path: "../.."),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "WordCountRunner",
            dependencies: [
                .product(name: "RunnerKit", package: "clarifai-runner"),
                .product(name: "ClarifaiAPI", package: "clarifai-runner"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
