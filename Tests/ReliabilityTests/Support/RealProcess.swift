import Foundation
import Synchronization

/// A child process of the suite (the built `clarifai-runner`), with its output captured. It never
/// outlives the test: ``stop()`` or, at the latest, deinit kills it.
final class RealProcess: @unchecked Sendable {
    let name: String
    private let process = Process()
    private let output = CapturedOutput()
    private let pipe = Pipe()

    /// The built `clarifai-runner` (debug), or `CLARIFAI_RUNNER_BINARY`.
    static var runnerBinary: String {
        if let path = ProcessInfo.processInfo.environment["CLARIFAI_RUNNER_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for directory in [bundle, bundle.deletingLastPathComponent()] {
            let path = directory.appendingPathComponent("clarifai-runner").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return packageRoot.appendingPathComponent(".build/debug/clarifai-runner").path
    }

    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    init(_ name: String, arguments: [String], environment: [String: String] = [:]) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: Self.runnerBinary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("CLARIFAI_") { env[key] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { output.bytes.withLock { $0.append(chunk) } }
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var text: String { output.bytes.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Waits for output matching `pattern`; returns the first capture group.
    func waitFor(_ pattern: String, timeout: Duration = .seconds(30)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = text
            if let match = regex.firstMatch(in: current, range: NSRange(current.startIndex..., in: current)) {
                let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                return String(current[Range(range, in: current)!])
            }
            if !process.isRunning { throw SuiteError("\(name) exited (\(process.terminationStatus)) before /\(pattern)/:\n\(current.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw SuiteError("\(name) did not print /\(pattern)/ within \(timeout):\n\(text.suffix(2000))")
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits up to `timeout` for the exit; kills it past that. Returns the status, or nil if killed.
    @discardableResult
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// SIGKILL and reap: the crash the API-restart tests inject.
    func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then SIGKILL after a few seconds.
    func stop() async {
        guard process.isRunning else { return }
        signal(SIGTERM)
        await waitForExit(timeout: .seconds(10))
    }

    /// The resident set size, in KiB, from /proc.
    var residentKiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A failure of the suite's own set-up.
struct SuiteError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a child printed, shared with the pipe's reading handler.
final class CapturedOutput: Sendable {
    let bytes = Mutex(Data())
}
