import Foundation
import Testing

/// The runner's connection to the API goes through a proxy that drops it at random points
/// (seeded): callers get a correct answer or a clear failure, none hangs, and once the cutting
/// stops the runner serves every call again.
@Suite("Connections cut between runner and API")
struct ConnectionCutTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["RELIABILITY_SEED"].flatMap(UInt64.init) ?? 20_261_123

    @Test("random drops under mixed load")
    func randomDrops() async throws {
        let during = FaultTally("runner↔API connection cut at random (seed \(Self.seed))")
        let after = FaultTally("after the cutting stopped")
        var cuts = 0
        try await Deployment.withProcesses { processes in
            let (api, port) = try await Deployment.startAPI(noRunnerTimeout: 4)
            processes.append(api)
            let proxy = try ChaosProxy(upstreamPort: port, seed: Self.seed, bytes: 500...30_000, milliseconds: 100...1_500)
            defer { proxy.stop() }
            processes.append(try Deployment.startRunner(
                apiPort: proxy.port, modelConfig: ["delay_ms=40"], extra: ["--parallel-polls", "4"]))

            try await LoadCaller.with(port: port) { caller in
                var slow = caller
                slow.deadline = .seconds(15)
                let caller = slow
                await withTaskGroup(of: Void.self) { group in
                    for worker in 0..<6 {
                        group.addTask {
                            let until = ContinuousClock.now + .seconds(12)
                            var index = 0
                            while ContinuousClock.now < until {
                                index += 1
                                switch (worker + index) % 3 {
                                case 0: await during.run { await caller.predict(["cut \(worker) \(index)", "second"]) }
                                case 1: await during.run { await caller.generate("g \(worker) \(index) x y") }
                                default: await during.run { await caller.stream(["s\(worker)", "\(index)", "z"], pause: .milliseconds(30)) }
                                }
                            }
                        }
                    }
                }
            }
            proxy.cutting = false
            cuts = proxy.cuts
            print("[reliability] proxy: \(proxy.connections) connections, \(cuts) cut")
            _ = try await Deployment.waitUntilServing(port: port, within: .seconds(30))
            try await LoadCaller.with(port: port) { caller in
                for index in 0..<10 {
                    await after.run { await caller.predict(["after \(index)"]) }
                }
            }
        }
        during.report()
        after.report()
        #expect(cuts > 0, "the proxy never cut a connection")
        #expect(during.isClean, "\(during.examples)")
        #expect(after[.correct] == after.sentTotal, "\(after.examples)")
    }
}
