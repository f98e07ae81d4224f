import Foundation
import Synchronization
import Testing

/// Starts the real binaries (and the interop Python scripts) as child processes, reads their
/// output, and makes sure none outlives the test.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let name: String
    private let output = OutputBuffer()
    private let outputPipe = Pipe()

    /// The built `clarifai-runner`, beside the test bundle.
    static var runnerBinary: String {
        if let path = ProcessInfo.processInfo.environment["CLARIFAI_RUNNER_BINARY"] { return path }
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("clarifai-runner").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return packageRoot.appendingPathComponent(".build/debug/clarifai-runner").path
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var python: String {
        get throws {
            if let path = ProcessInfo.processInfo.environment["CLARIFAI_TEST_PYTHON"], FileManager.default.isExecutableFile(atPath: path) { return path }
            let venv = packageRoot.appendingPathComponent(".build/interop-venv/bin/python").path
            guard FileManager.default.isExecutableFile(atPath: venv) else {
                throw HarnessError("no interop Python: run `.ci/setup-python` (or Tests/run) first")
            }
            return venv
        }
    }

    init(_ name: String, executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("CLARIFAI_") && key != "CLARIFAI_TEST_PYTHON" { env[key] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        process.standardInput = FileHandle.nullDevice
        outputPipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { output.data.withLock { $0.append(chunk) } }
        }
        try process.run()
    }

    static func runner(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess("clarifai-runner \(arguments.first ?? "")", executable: runnerBinary, arguments: arguments, environment: environment)
    }

    static func pythonScript(_ script: String, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(script, executable: try python, arguments: [packageRoot.appendingPathComponent("Tests/Interop/\(script)").path] + arguments)
    }

    /// Everything the process printed so far (stdout and stderr).
    var text: String { output.data.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Waits until the output matches `pattern`; returns the first capture group (or the match).
    func waitFor(_ pattern: String, timeout: Duration = .seconds(60)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = text
            let range = NSRange(current.startIndex..., in: current)
            if let match = regex.firstMatch(in: current, range: range) {
                let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                return String(current[Range(group, in: current)!])
            }
            if !process.isRunning {
                throw HarnessError("\(name) exited (\(process.terminationStatus)) before printing /\(pattern)/:\n\(current.suffix(3000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("\(name) did not print /\(pattern)/ within \(timeout):\n\(text.suffix(3000))")
    }

    /// Sends a signal.
    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for exit, killing the process if it takes longer than `timeout`. Returns the exit status.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -9
        }
        return process.terminationStatus
    }

    /// SIGTERM, then wait; for cleanup.
    func stop() async {
        guard process.isRunning else { return }
        signal(SIGTERM)
        await waitForExit(timeout: .seconds(20))
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with processes that are always stopped afterwards, even when the test fails.
func withProcesses<R>(_ body: (inout [ChildProcess]) async throws -> R) async throws -> R {
    var processes: [ChildProcess] = []
    do {
        let result = try await body(&processes)
        for process in processes.reversed() { await process.stop() }
        return result
    } catch {
        for process in processes.reversed() {
            await process.stop()
            print("--- \(process.name) output ---\n\(process.text.suffix(4000))")
        }
        throw error
    }
}

/// What a child printed, shared with the pipe's reading handler.
final class OutputBuffer: Sendable {
    let data = Mutex(Data())
}
