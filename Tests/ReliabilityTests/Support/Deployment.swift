import Foundation

/// The real binaries, as an operator runs them: `clarifai-runner local-api` and `clarifai-runner run`,
/// on 127.0.0.1, with short timeouts so faults resolve within the test budget.
enum Deployment {
    static let pat = "reliability-pat-5f1e2d3c4b"

    /// Starts the local API on `port` (0 picks one); returns it with the port it bound. A port that
    /// is still being released after a crash is retried for a few seconds.
    static func startAPI(port: Int = 0, noRunnerTimeout: Int = 4) async throws -> (RealProcess, Int) {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let api = try RealProcess("local-api", arguments: [
                "local-api", "--port", "\(port)", "--pat", pat, "--no-runner-timeout", "\(noRunnerTimeout)", "--log-level", ProcessInfo.processInfo.environment["RELIABILITY_API_LOG"] ?? "notice",
            ])
            do {
                let bound = try await api.waitFor(#"listening on 127\.0\.0\.1:(\d+)"#, timeout: .seconds(15))
                return (api, Int(bound)!)
            } catch {
                await api.stop()
                if ContinuousClock.now > deadline { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Starts a runner against `apiPort`; `model` is `example:upper` or a plugin path.
    static func startRunner(
        apiPort: Int, model: String = "example:upper", modelConfig: [String] = [], extra: [String] = [],
        runnerID: String = "r1"
    ) throws -> RealProcess {
        var arguments = [
            "run", "--api-base", "http://127.0.0.1:\(apiPort)", "--user-id", "u", "--compute-cluster-id", "c",
            "--nodepool-id", "n", "--runner-id", runnerID, "--model", model, "--log-level", ProcessInfo.processInfo.environment["RELIABILITY_API_LOG"] ?? "notice",
        ]
        for pair in modelConfig { arguments += ["--model-config", pair] }
        return try RealProcess("runner", arguments: arguments + extra, environment: ["CLARIFAI_PAT": pat])
    }

    /// Sends predictions until one is answered correctly: the runner is connected and serving.
    static func waitUntilServing(port: Int, within limit: Duration = .seconds(20)) async throws -> Duration {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < limit {
            let (outcome, note) = try await LoadCaller.with(port: port) { caller in
                var caller = caller
                caller.deadline = .seconds(3)
                return await caller.predict(LoadCaller.request(["ping"]), expected: nil)
            }
            // Any answer from the model counts (fault plugins fail on purpose); "no runner" does not.
            let fromRunner = outcome == .clearFailure && !note.hasPrefix("gRPC") && !note.contains("runnerDoesNotExist")
            if outcome == .correct || fromRunner { return ContinuousClock.now - started }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SuiteError("the runner did not serve within \(limit)")
    }

    /// Runs `body` with processes that are always stopped (their output printed on failure).
    static func withProcesses<R>(_ body: (inout [RealProcess]) async throws -> R) async throws -> R {
        var processes: [RealProcess] = []
        do {
            let result = try await body(&processes)
            for process in processes.reversed() { await process.stop() }
            return result
        } catch {
            for process in processes.reversed() {
                await process.stop()
                print("--- \(process.name) ---\n\(process.text.suffix(3000))")
            }
            throw error
        }
    }
}
