import LocalAPI
import Logging

/// The local API as every runner scenario uses it: in this process, on an ephemeral port.
enum BenchLocalAPI {
    static func make(logger: Logger) -> LocalAPIServer {
        var configuration = LocalAPIConfiguration(pats: [Workload.pat])
        // A spawned runner (ours or the official one) may take a few seconds to connect; the first
        // calls wait for it instead of failing.
        configuration.noRunnerDeadline = .seconds(60)
        return LocalAPIServer(configuration: configuration, logger: logger)
    }

    /// Runs a fresh local API while `body` runs with its port.
    static func with<R: Sendable>(logger: Logger, _ body: (Int) async throws -> R) async throws -> R {
        let api = make(logger: logger)
        return try await ServiceScope.with([api], logger: logger) {
            try await body(try await api.listeningPort())
        }
    }
}
