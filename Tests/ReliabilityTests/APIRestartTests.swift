import Foundation
import Testing

/// The local API process dies (SIGKILL) while calls are in flight and comes back on the same port:
/// the callers cut off get a clear failure, never a hang, and the runner reconnects and serves again.
@Suite("API killed and restarted", .serialized)
struct APIRestartTests {
    enum Mode: String, CaseIterable { case unary, generate, stream }

    static func call(_ mode: Mode, _ caller: LoadCaller, _ index: Int) async -> (Outcome, String) {
        switch mode {
        case .unary: await caller.predict(["unary \(index)"])
        case .generate: await caller.generate("gen \(index) a b c d")
        case .stream: await caller.stream(["s\(index)", "b", "c", "d"])
        }
    }

    @Test("SIGKILL mid-call, restart on the same port", arguments: Mode.allCases)
    func killedMidCall(mode: Mode) async throws {
        let during = FaultTally("API SIGKILL mid-\(mode.rawValue)")
        let after = FaultTally("after API restart (\(mode.rawValue))")
        try await Deployment.withProcesses { processes in
            let (api, port) = try await Deployment.startAPI()
            processes.append(api)
            let runner = try Deployment.startRunner(apiPort: port, modelConfig: ["delay_ms=250"], extra: ["--log-level", ProcessInfo.processInfo.environment["RELIABILITY_RUNNER_LOG"] ?? "info"])
            processes.append(runner)
            defer { if ProcessInfo.processInfo.environment["RELIABILITY_DEBUG"] != nil { print(runner.text) } }
            _ = try await Deployment.waitUntilServing(port: port)

            try await LoadCaller.with(port: port) { caller in
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<8 {
                        group.addTask { await during.run { await Self.call(mode, caller, index) } }
                    }
                    try? await Task.sleep(for: .milliseconds(400))
                    api.crash()
                }
            }

            let (restarted, _) = try await Deployment.startAPI(port: port)
            processes.append(restarted)
            defer { if ProcessInfo.processInfo.environment["RELIABILITY_DEBUG"] != nil { print("API2:", restarted.text) } }
            let reconnect = try await Deployment.waitUntilServing(port: port, within: .seconds(30))
            print("[reliability] runner served again \(reconnect) after the restart")

            try await LoadCaller.with(port: port) { caller in
                await withTaskGroup(of: Void.self) { group in
                    for index in 0..<8 {
                        group.addTask { await after.run { await Self.call(mode, caller, index) } }
                    }
                }
            }
        }
        during.report()
        after.report()
        #expect(during.isClean, "\(during.examples)")
        #expect(after.isClean && after[.correct] == after.sentTotal, "\(after.examples)")
    }
}
