import Testing

/// Models that misbehave, loaded into the real runner as C plugins: every call still gets one
/// final answer, a clear failure where the model failed, and the runner keeps serving.
@Suite("Handler faults")
struct HandlerFaultTests {
    /// Runs the runner with `plugin`, sends `calls`, and checks the runner still answers afterwards.
    static func serve(
        plugin: String, extra: [String] = [], tally: FaultTally, deadline: Duration = .seconds(20),
        _ calls: @escaping @Sendable (LoadCaller, FaultTally) async -> Void
    ) async throws {
        try await Deployment.withProcesses { processes in
            let (api, port) = try await Deployment.startAPI()
            processes.append(api)
            processes.append(try Deployment.startRunner(apiPort: port, model: try FaultPlugins.path(plugin), extra: extra))
            _ = try await Deployment.waitUntilServing(port: port)
            try await LoadCaller.with(port: port) { caller in
                var caller = caller
                caller.deadline = deadline
                await calls(caller, tally)
            }
            _ = try await Deployment.waitUntilServing(port: port, within: .seconds(10))
        }
        tally.report()
    }

    @Test("a plugin that returns errors")
    func pluginErrors() async throws {
        let tally = FaultTally("C plugin returns errors (call_error)")
        try await Self.serve(plugin: "call_error", tally: tally) { caller, tally in
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask { await tally.run { await caller.predict(["boom"]) } }
                    group.addTask { await tally.run { await caller.predict(["silent", "ok \(index)"]) } }
                    group.addTask { await tally.run { await caller.predict(LoadCaller.request(["fine \(index)"]), expected: ["fine \(index)"]) } }
                    group.addTask { await tally.run { await caller.generate(LoadCaller.request(["x"]), expected: nil) } }
                }
            }
        }
        #expect(tally.isClean, "\(tally.examples)")
        #expect(tally[.clearFailure] >= 18)
    }

    @Test("a plugin that hangs past the item timeout")
    func pluginHangs() async throws {
        let tally = FaultTally("C plugin hangs past --item-timeout 2")
        // The deadline leaves room for items queued behind a native call that ignores cancellation for
        // 6 s; a lost item would still be caught.
        try await Self.serve(plugin: "hang", extra: ["--item-timeout", "2"], tally: tally, deadline: .seconds(15)) { caller, tally in
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask { await tally.run { await caller.predict(["hang"]) } }
                    group.addTask { await tally.run { await caller.predict(["stuck"]) } }
                    group.addTask { await tally.run { await caller.generate(LoadCaller.request(["x"]), expected: nil) } }
                }
            }
        }
        #expect(tally.isClean, "\(tally.examples)")
        #expect(tally[.clearFailure] == 9, "\(tally.examples)")
    }

    @Test("a plugin whose output is over the limit")
    func oversizedOutput() async throws {
        let tally = FaultTally("C plugin emits an oversized output")
        try await Self.serve(plugin: "oversized_output", tally: tally) { caller, tally in
            for _ in 0..<3 { await tally.run { await caller.predict(["big"]) } }
        }
        #expect(tally.isClean, "\(tally.examples)")
        #expect(tally[.clearFailure] == 3)
    }
}
