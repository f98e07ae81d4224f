import Testing

/// Regression: a work stream that ended normally kept its in-flight permit until the stream-open
/// deadline (10 s) had passed, so a runner answered at most `max-in-flight` items per 10 s and
/// callers beyond that waited for "no runner" (found by the API-restart test).
@Suite("Stream turnover")
struct StreamTurnoverTests {
    @Test("finished streams release their permit at once")
    func permitsComeBack() async throws {
        let tally = FaultTally("sequential load, max-in-flight 2 (regression)")
        let started = ContinuousClock.now
        try await Deployment.withProcesses { processes in
            let (api, port) = try await Deployment.startAPI(noRunnerTimeout: 3)
            processes.append(api)
            processes.append(try Deployment.startRunner(apiPort: port, extra: ["--parallel-polls", "1", "--max-in-flight", "2"]))
            _ = try await Deployment.waitUntilServing(port: port)
            try await LoadCaller.with(port: port) { caller in
                var caller = caller
                caller.deadline = .seconds(5)
                for index in 0..<12 {
                    await tally.run { await caller.predict(["turn \(index)"]) }
                }
            }
        }
        tally.report()
        #expect(tally[.correct] == 12, "\(tally.examples)")
        #expect(ContinuousClock.now - started < .seconds(20))
    }
}
