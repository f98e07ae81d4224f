import Foundation

/// Runs the build tools the benchmark needs (the C compiler, make) before it measures anything.
enum BuildTool {
    /// Runs `tool` through `env`, so that `CC` and `PATH` apply; fails with the tool's own output.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw BenchError("cannot run \(tool): \(error)")
        }
        let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("\(tool) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text.prefix(500))")
        }
    }
}
