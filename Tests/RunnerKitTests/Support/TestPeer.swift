import Foundation
import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2
import LocalAPI
import Logging
import RunnerKit
import ServiceLifecycle
import Synchronization

/// The local API and a runner engine, in this process, talking real gRPC over 127.0.0.1.
struct TestPeer {
    static let pat = "test-pat-0123456789"

    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .notice
        return logger
    }

    /// A runner configuration pointing at the local API on `port`.
    static func runnerConfiguration(port: Int, source: RunnerConfiguration.WorkSourceKind = .stream, polls: Int = 2) -> RunnerConfiguration {
        var configuration = RunnerConfiguration(
            endpoint: APIEndpoint(host: "127.0.0.1", port: port, security: .plaintext),
            credentials: .pat(pat),
            identity: RunnerIdentity(userID: "tester", computeClusterID: "cc", nodepoolID: "np", runnerID: "runner-1")
        )
        configuration.workSource = source
        configuration.parallelPolls = polls
        configuration.backoff = ReconnectBackoff(initial: .milliseconds(50), maximum: .milliseconds(500))
        configuration.drainTimeout = .seconds(10)
        configuration.streamOpenTimeout = .seconds(2)
        return configuration
    }

    static func apiConfiguration(port: Int = 0) -> LocalAPIConfiguration {
        var configuration = LocalAPIConfiguration(pats: [pat])
        configuration.port = port
        configuration.noRunnerDeadline = .seconds(10)
        configuration.idleStreamTimeout = .seconds(5)
        configuration.pollWait = .seconds(2)
        return configuration
    }

    /// Runs the local API and a runner with `handler` until `body` returns; then shuts both down.
    static func withRunner<R: Sendable>(
        handler: any ModelHandler,
        source: RunnerConfiguration.WorkSourceKind = .stream,
        polls: Int = 2,
        configure: @Sendable (inout RunnerConfiguration) -> Void = { _ in },
        _ body: @Sendable (Caller, RunnerEngine) async throws -> R
    ) async throws -> R {
        let api = LocalAPIServer(configuration: apiConfiguration(), logger: logger("local-api"))
        return try await withServices([api]) {
            let port = try await api.listeningPort()
            var configuration = runnerConfiguration(port: port, source: source, polls: polls)
            configure(&configuration)
            let engine = RunnerEngine(configuration: configuration, handler: handler, logger: logger("runner"))
            return try await withServices([engine]) {
                await engine.state.waitUntilStarted()
                return try await Caller.with(port: port) { caller in try await body(caller, engine) }
            }
        }
    }

    /// Runs services in a group until `body` returns, then shuts them down gracefully.
    static func withServices<R: Sendable>(_ services: [any Service], _ body: () async throws -> R) async throws -> R {
        let group = ServiceGroup(services: services, logger: logger("group"))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
