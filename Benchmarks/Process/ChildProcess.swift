import Foundation

/// A process the benchmark started: its output goes to a log file (read back when it fails), its
/// memory is read from /proc, and ``stop()`` always ends it.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; this class only reads its pid and state after `run()`.
    let name: String
    private let process = Process()
    let logPath: String
    /// When `run()` was called, just before the fork and exec.
    let started: ContinuousClock.Instant

    /// Starts `executable`; `CLARIFAI_*` variables of this process are not passed on, so only
    /// `environment` and the arguments configure the child.
    init(name: String, executable: String, arguments: [String], environment: [String: String], logDirectory: URL) throws {
        self.name = name
        logPath = logDirectory.appendingPathComponent("\(name).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CLARIFAI_") }
        env.merge(environment) { $1 }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        started = .now
        try process.run()
        RunWatchdog.track(process.processIdentifier)
        try? log.close()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// The resident set size now, in MiB, from `/proc/PID/status` (`VmRSS`); `nil` once it exited.
    var residentMiB: Double? { Self.statusField("VmRSS", pid: pid).map { $0 / 1024 } }

    /// The peak resident set size so far, in MiB (`VmHWM`).
    var peakResidentMiB: Double? { Self.statusField("VmHWM", pid: pid).map { $0 / 1024 } }

    /// The last lines the process printed, for error messages.
    func logTail(_ characters: Int = 1500) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(characters))
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`.
    func stop(grace: Duration = .seconds(10)) async {
        defer { RunWatchdog.untrack(pid) }
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A `kB` field of `/proc/PID/status`.
    static func statusField(_ field: String, pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let number = line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return number.flatMap { Double($0) }
        }
        return nil
    }

    /// Runs `body` with a process that is stopped afterwards, whatever happens.
    static func with<R>(_ start: () throws -> ChildProcess, _ body: (ChildProcess) async throws -> R) async throws -> R {
        let child = try start()
        do {
            let result = try await body(child)
            await child.stop()
            return result
        } catch {
            await child.stop()
            throw error
        }
    }
}

/// Samples a process's resident set size while a load runs, keeping the largest value seen.
enum ResidentSampler {
    static func peak<R>(of child: ChildProcess, every interval: Duration = .milliseconds(20), during body: () async throws -> R) async rethrows -> (R, Double?) {
        let sampler = Task {
            var peak: Double?
            while !Task.isCancelled {
                if let now = child.residentMiB { peak = max(peak ?? 0, now) }
                try? await Task.sleep(for: interval)
            }
            return peak
        }
        let result = try await body()
        sampler.cancel()
        return (result, await sampler.value)
    }
}
