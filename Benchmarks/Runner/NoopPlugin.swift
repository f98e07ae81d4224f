import Foundation

/// Builds `NoopPlugin/noop_plugin.c` into a shared library with the system C compiler, the way a
/// plugin author would, so the benchmark needs no extra SwiftPM product.
enum NoopPlugin {
    /// The package root, found from this source file's location.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Compiles the plugin into `directory` and returns the library's path.
    static func build(into directory: URL) throws -> String {
        let source = packageRoot.appendingPathComponent("Benchmarks/NoopPlugin/noop_plugin.c").path
        let include = packageRoot.appendingPathComponent("Sources/CClarifaiRunnerABI/include").path
        guard FileManager.default.fileExists(atPath: source) else {
            throw BenchError("plugin source not found at \(source)")
        }
        let output = directory.appendingPathComponent("libbench-noop.so").path
        let compiler = ProcessInfo.processInfo.environment["CC"] ?? "cc"
        try BuildTool.run(compiler, ["-shared", "-fPIC", "-O2", "-fvisibility=hidden", "-I", include, "-o", output, source])
        return output
    }
}
