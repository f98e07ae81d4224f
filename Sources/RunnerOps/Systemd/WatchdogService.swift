import Foundation
import Logging
import ServiceLifecycle

/// Pings the systemd watchdog at half of `WATCHDOG_USEC` until graceful shutdown.
///
/// The pings come from a task on the same cooperative pool the runner uses, so a starved or
/// deadlocked pool stops them and systemd restarts the service; that is the point.
///
/// Put it first in the `ServiceGroup`: the group shuts services down in reverse order, so the
/// watchdog keeps pinging while the others drain. Once the unit is stopping (`STOPPING=1`, or
/// `systemctl stop`), systemd disarms the watchdog and `TimeoutStopSec=` applies instead.
///
/// Without a watchdog (not under systemd, or `WatchdogSec=` unset) it idles until shutdown
/// rather than returning, because a returning service makes the group cancel its peers.
public struct WatchdogService: Service {
    private let notifier: SystemdNotifier
    private let configuration: WatchdogConfiguration?
    private let logger: Logger

    /// Reads the watchdog settings from `environment`.
    public init(
        notifier: SystemdNotifier,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) {
        self.init(notifier: notifier, configuration: WatchdogConfiguration(environment: environment), logger: logger)
    }

    /// Uses an explicit configuration; `nil` disables pinging.
    public init(notifier: SystemdNotifier, configuration: WatchdogConfiguration?, logger: Logger) {
        self.notifier = notifier
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        guard let configuration, self.notifier.isEnabled else {
            self.logger.debug("systemd watchdog disabled")
            // Cancellation also ends the wait; either way there is nothing to clean up.
            try? await gracefulShutdown()
            return
        }
        self.logger.debug(
            "systemd watchdog enabled",
            metadata: ["interval": "\(configuration.pingInterval)"]
        )
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    self.ping()
                    try await Task.sleep(for: configuration.pingInterval)
                }
            }
        } catch is CancellationError {
            // Graceful shutdown or cancellation: stop pinging.
        }
    }

    /// One failed ping is logged, not fatal: systemd tolerates a miss, and stopping the runner
    /// over a notification problem would be worse than a restart by the watchdog.
    private func ping() {
        do {
            try self.notifier.watchdog()
        } catch {
            self.logger.warning("systemd watchdog ping failed", metadata: ["error": "\(error)"])
        }
    }
}
