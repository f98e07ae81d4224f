import Logging
import RunnerKit

/// A runner engine in this process, serving `handler`, behind a fresh local API.
enum InProcessRunner {
    /// Four work streams as the daemon's default, but room for 32 items in flight: the 16-caller
    /// stream-stream load holds 16 items open at once, and the default (8) would queue half of them.
    static func configuration(port: Int) -> RunnerConfiguration {
        var configuration = RunnerConfiguration(
            endpoint: APIEndpoint(host: "127.0.0.1", port: port, security: .plaintext),
            credentials: .pat(Workload.pat),
            identity: Workload.identity(runnerID: "bench-in-process")
        )
        configuration.parallelPolls = 4
        configuration.maxInFlight = 32
        configuration.backoff = ReconnectBackoff(initial: .milliseconds(50), maximum: .milliseconds(500))
        configuration.drainTimeout = .seconds(10)
        return configuration
    }

    static func with<R: Sendable>(handler: any ModelHandler, logger: Logger, _ body: (ModelCaller) async throws -> R) async throws -> R {
        try await BenchLocalAPI.with(logger: logger) { port in
            let engine = RunnerEngine(configuration: configuration(port: port), handler: handler, logger: logger)
            return try await ServiceScope.with([engine], logger: logger) {
                await engine.state.waitUntilStarted()
                return try await ModelCaller.with(port: port, body)
            }
        }
    }
}
