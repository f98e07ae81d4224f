import Foundation
import Logging

/// Start-up time and idle memory of the `clarifai-runner run` process.
struct ResourceResult: Sendable, Codable {
    /// Starts measured.
    var starts: Int
    /// Median time from exec to the first work stream's handshake, in milliseconds.
    var startupMs: Double
    /// The fastest start, in milliseconds.
    var startupMinMs: Double
    /// Resident memory once all streams are open and the process is idle, in MiB (median).
    var idleRSSMiB: Double
}

/// Starts the daemon against a ``HandshakeRecorder`` several times: each start is timed from
/// just before exec to the first work handshake, then the process is left idle and its memory read.
enum ResourceProbe {
    static func run(processes: RunnerProcesses, starts: Int, settle: Duration) async throws -> ResourceResult {
        let recorder = HandshakeRecorder()
        return try await LoopbackServer.with(services: [recorder]) { port in
            var startups: [Double] = []
            var idle: [Double] = []
            for index in 0..<starts {
                recorder.reset()
                try await ChildProcess.with({ try processes.ours(port: port, runnerID: "bench-start-\(index)") }) { child in
                    guard await recorder.waitForStreams(work: RunnerProcesses.parallelPolls, timeout: .seconds(20)),
                          let first = recorder.firstWorkHandshake
                    else {
                        throw BenchError("the runner did not open its streams within 20 s: \(child.logTail())")
                    }
                    startups.append((first - child.started).seconds * 1000)
                    try await Task.sleep(for: settle)
                    guard let rss = child.residentMiB else { throw BenchError("the runner exited while idle: \(child.logTail())") }
                    idle.append(rss)
                }
            }
            return ResourceResult(
                starts: startups.count, startupMs: ModelCaller.median(startups),
                startupMinMs: startups.min() ?? 0, idleRSSMiB: ModelCaller.median(idle)
            )
        }
    }
}

/// Unary throughput of a runner *process* behind a fresh local API, and its memory under that load.
struct ProcessLoadResult: Sendable, Codable {
    /// One result per caller count.
    var unary: [LoadResult]
    /// The largest resident set size seen during the load, in MiB.
    var peakRSSMiB: Double?
}

enum ProcessLoad {
    /// Starts a runner with `start`, waits until it answers, then runs the unary loads.
    static func run(
        callerCounts: [Int], warmup: Duration, duration: Duration, logger: Logger,
        start: @escaping (Int) throws -> ChildProcess
    ) async throws -> ProcessLoadResult {
        try await BenchLocalAPI.with(logger: logger) { port in
            try await ChildProcess.with({ try start(port) }) { child in
                try await ModelCaller.with(port: port) { caller in
                    // The first call waits in the local API until the runner has connected.
                    do {
                        try await caller.predict()
                    } catch {
                        throw BenchError("\(child.name) did not answer (\(error)): \(child.logTail())")
                    }
                    let (results, peak) = await ResidentSampler.peak(of: child) {
                        var results: [LoadResult] = []
                        for callers in callerCounts {
                            let pid = child.pid
                            results.append(await caller.unaryLoad(
                                callers: callers, warmup: warmup, duration: duration,
                                cpuClock: { CPUClock.processMilliseconds(pid) }
                            ))
                        }
                        return results
                    }
                    return ProcessLoadResult(unary: results, peakRSSMiB: peak)
                }
            }
        }
    }
}
