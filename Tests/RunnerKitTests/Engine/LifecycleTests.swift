import ClarifaiAPI
import LocalAPI
import RunnerKit
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Reconnect and drain")
struct LifecycleTests {
    /// The API goes away and comes back on the same port; the runner reconnects by itself.
    @Test("after an API restart the runner serves again")
    func apiRestart() async throws {
        let first = LocalAPIServer(configuration: TestPeer.apiConfiguration(), logger: TestPeer.logger("api-1"))
        let firstGroup = ServiceGroup(services: [first], logger: TestPeer.logger("g1"))
        let firstRun = Task { try await firstGroup.run() }
        let port = try await first.listeningPort()

        let engine = RunnerEngine(
            configuration: TestPeer.runnerConfiguration(port: port),
            handler: UppercaseHandler(), logger: TestPeer.logger("runner")
        )
        let engineGroup = ServiceGroup(services: [engine], logger: TestPeer.logger("g2"))
        let engineRun = Task { try await engineGroup.run() }
        await engine.state.waitUntilStarted()
        let before = try await Caller.with(port: port) { try await $0.predict(["before"]) }
        #expect(before.texts == ["BEFORE"])

        await firstGroup.triggerGracefulShutdown()
        try await firstRun.value
        try await Task.sleep(for: .milliseconds(500))

        let second = LocalAPIServer(configuration: TestPeer.apiConfiguration(port: port), logger: TestPeer.logger("api-2"))
        let secondGroup = ServiceGroup(services: [second], logger: TestPeer.logger("g3"))
        let secondRun = Task { try await secondGroup.run() }
        _ = try await second.listeningPort()
        // The request waits in the API until the runner is back (the API's no-runner deadline is 10 s).
        let after = try await Caller.with(port: port) { try await $0.predict(["after"]) }
        #expect(after.status.code == .success)
        #expect(after.texts == ["AFTER"])

        await engineGroup.triggerGracefulShutdown()
        try await engineRun.value
        await secondGroup.triggerGracefulShutdown()
        try await secondRun.value
    }

    /// Graceful shutdown while an item runs: the item finishes and its output reaches the caller.
    @Test("graceful shutdown drains in-flight items")
    func drain() async throws {
        let handler = SlowHandler(delay: .seconds(1))
        let api = LocalAPIServer(configuration: TestPeer.apiConfiguration(), logger: TestPeer.logger("api"))
        try await TestPeer.withServices([api]) {
            let port = try await api.listeningPort()
            let engine = RunnerEngine(
                configuration: TestPeer.runnerConfiguration(port: port),
                handler: handler, logger: TestPeer.logger("runner")
            )
            let group = ServiceGroup(services: [engine], logger: TestPeer.logger("g"))
            let running = Task { try await group.run() }
            await engine.state.waitUntilStarted()
            try await Caller.with(port: port) { caller in
                async let response = caller.predict(["drained", "too"])
                while handler.started.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
                await group.triggerGracefulShutdown()
                let answered = try await response
                #expect(answered.status.code == .success)
                #expect(answered.texts == ["DRAINED", "TOO"])
            }
            try await running.value
            #expect(engine.state.phase == .stopped)
        }
    }

    /// Regression (#6): cancelled just as it started, the engine could wait forever on RPCs handed
    /// to a transport that never ran. Every start, cancelled at a spread of moments, must return.
    @Test("an engine cancelled as it starts always returns")
    func cancelledAtStart() async throws {
        let api = LocalAPIServer(configuration: TestPeer.apiConfiguration(), logger: TestPeer.logger("api"))
        try await TestPeer.withServices([api]) {
            let port = try await api.listeningPort()
            var hung = 0
            let errors = ErrorLog()
            for attempt in 0..<60 {
                let engine = RunnerEngine(
                    configuration: TestPeer.runnerConfiguration(port: port),
                    handler: UppercaseHandler(), logger: TestPeer.logger("runner")
                )
                // A flag, not `await running.value`: awaiting a hung task's value cannot time out.
                let returned = CancellationFlag()
                let running = Task {
                    do {
                        try await engine.run()
                    } catch {
                        errors.add(error)
                    }
                    returned.cancel()
                }
                // 0 to 5.9 ms: before, during and after the first connection.
                try await Task.sleep(for: .microseconds(100 * attempt))
                running.cancel()
                let deadline = ContinuousClock.now + .seconds(10)
                while !returned.isCancelled, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                if !returned.isCancelled { hung += 1 } else { #expect(engine.state.phase == .stopped) }
            }
            #expect(hung == 0, "\(hung) of 60 cancelled starts never returned")
            // A cancelled engine stops quietly: no error from a client that never got to start.
            #expect(errors.all.isEmpty, "\(errors.all)")
        }
    }
}

/// Errors collected from several tasks.
private final class ErrorLog: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ error: any Error) { entries.withLock { $0.append("\(error)") } }
    var all: [String] { entries.withLock { $0 } }
}
