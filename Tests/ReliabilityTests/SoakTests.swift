import Foundation
import Testing

/// The soak: local API and runner under sustained mixed load for a bounded time, the runner's RSS
/// sampled from /proc, and its slope reported. Not part of the CI run: `Tests/Reliability/soak.sh
/// --minutes N` sets RELIABILITY_SOAK_MINUTES and runs only this test.
@Suite("Soak")
struct SoakTests {
    static let minutes = ProcessInfo.processInfo.environment["RELIABILITY_SOAK_MINUTES"].flatMap(Double.init)

    @Test("sustained load, RSS slope", .enabled(if: minutes != nil, "soak is not part of CI; run Tests/Reliability/soak.sh --minutes N"))
    func soak() async throws {
        let minutes = Self.minutes ?? 0
        let tally = FaultTally("soak \(minutes) min, 8 callers")
        var samples: [(seconds: Double, kib: Double)] = []
        try await Deployment.withProcesses { processes in
            let (api, port) = try await Deployment.startAPI(noRunnerTimeout: 10)
            processes.append(api)
            let runner = try Deployment.startRunner(apiPort: port, modelConfig: ["delay_ms=5"])
            processes.append(runner)
            _ = try await Deployment.waitUntilServing(port: port)
            let started = ContinuousClock.now
            let until = started + .seconds(minutes * 60)
            try await LoadCaller.with(port: port) { caller in
                await withTaskGroup(of: Void.self) { group in
                    for worker in 0..<8 {
                        group.addTask {
                            var index = 0
                            while ContinuousClock.now < until {
                                index += 1
                                switch (worker + index) % 3 {
                                case 0: await tally.run { await caller.predict(["soak \(index)", "two words"]) }
                                case 1: await tally.run { await caller.generate("soak \(worker) \(index)") }
                                default: await tally.run { await caller.stream(["a\(index)", "b"]) }
                                }
                            }
                        }
                    }
                    while ContinuousClock.now < until {
                        if let kib = runner.residentKiB {
                            let elapsed = ContinuousClock.now - started
                            samples.append((Double(elapsed.components.seconds), Double(kib)))
                            print("[soak] t=\(elapsed.components.seconds)s rss=\(kib) KiB sent=\(tally.sentTotal) correct=\(tally[.correct])")
                        }
                        try? await Task.sleep(for: .seconds(5))
                    }
                }
            }
        }
        tally.report()
        // Skip the first minute (or fifth): allocators and caches warm up.
        let warm = samples.filter { $0.seconds >= min(60, minutes * 12) }
        let slope = Self.slopePerMinute(warm)
        let first = warm.first?.kib ?? 0, last = warm.last?.kib ?? 0
        print("[soak] RSS \(Int(first)) → \(Int(last)) KiB over \(warm.count) samples; slope \(String(format: "%.1f", slope)) KiB/min")
        print("[soak] totals: sent=\(tally.sentTotal) correct=\(tally[.correct]) clear_failures=\(tally[.clearFailure]) lost=\(tally[.lost]) hung=\(tally[.hung])")
        #expect(tally.isClean, "\(tally.examples)")
    }

    /// Least-squares slope of RSS over time, in KiB per minute.
    static func slopePerMinute(_ samples: [(seconds: Double, kib: Double)]) -> Double {
        guard samples.count > 1 else { return 0 }
        let n = Double(samples.count)
        let meanX = samples.map(\.seconds).reduce(0, +) / n
        let meanY = samples.map(\.kib).reduce(0, +) / n
        let covariance = samples.map { ($0.seconds - meanX) * ($0.kib - meanY) }.reduce(0, +)
        let variance = samples.map { ($0.seconds - meanX) * ($0.seconds - meanX) }.reduce(0, +)
        return variance == 0 ? 0 : covariance / variance * 60
    }
}
