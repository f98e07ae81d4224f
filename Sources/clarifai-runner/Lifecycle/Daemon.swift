import Foundation
import Logging
import RunnerKit
import RunnerOps
import ServiceLifecycle
import UnixSignals

/// Assembles the long-running services of a command into one `ServiceGroup` that owns the
/// signals: the first SIGTERM or SIGINT drains, a second one cancels.
struct Daemon {
    var services: [any Service] = []
    var logger: Logger
    /// How long the whole drain may take before the group cancels everything.
    var maximumShutdown: Duration = .seconds(60)

    /// Adds the health/metrics server, if an address is configured.
    mutating func addHealth(_ address: HealthAddress?, state: RunnerState) {
        guard let address else { return }
        let registry = MetricsBootstrap.prometheus()
        services.append(HealthServer(
            host: address.host, port: address.port,
            probes: HealthProbes(
                liveness: { state.phase != .stopped },
                readiness: { state.isReady },
                startup: { state.hasStarted }
            ),
            metrics: { registry.emitToString() },
            logger: logger
        ))
    }

    /// Adds the systemd watchdog and readiness notifications (no-ops outside systemd).
    mutating func addSystemd(state: RunnerState) {
        let notifier = SystemdNotifier()
        services.insert(WatchdogService(notifier: notifier, logger: logger), at: 0)
        services.append(SystemdReadiness(notifier: notifier, state: state, logger: logger))
    }

    /// Runs until a signal or a service failure. Services shut down in reverse order.
    func run() async throws(CLIError) {
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = maximumShutdown
        let group = ServiceGroup(configuration: configuration)
        let logger = logger
        let escalated = CancellationFlag()
        // Trapped before the group starts, so that no early signal goes uncounted.
        let signals = await UnixSignalsSequence(trapping: [.sigterm, .sigint])
        let running = Task { try await group.run() }
        // ServiceGroup takes one signal set for graceful shutdown; a second signal escalates here.
        // Unstructured and cancelled at the end, never awaited: the daemon must not wait on a
        // signal that will not come.
        let watcher = Task {
            var seen = 0
            for await signal in signals {
                seen += 1
                if seen == 2 {
                    escalated.cancel()
                    logger.warning("second \(signal): cancelling items in flight")
                    running.cancel()
                    return
                }
            }
        }
        defer { watcher.cancel() }
        do {
            try await withTaskCancellationHandler {
                try await running.value
            } onCancel: {
                running.cancel()
            }
        } catch where escalated.isCancelled {
            throw .runtime("stopped by a second signal before the drain finished")
        } catch {
            throw .runtime(Self.describe(error))
        }
        // The group may also end quietly when cancelled; the exit code must still say so.
        if escalated.isCancelled {
            throw .runtime("stopped by a second signal before the drain finished")
        }
    }

    /// ServiceGroup wraps a service's error; show the service's own message.
    static func describe(_ error: any Error) -> String {
        if let error = error as? ServiceGroupError { return "\(error)" }
        return "\(error)"
    }
}
