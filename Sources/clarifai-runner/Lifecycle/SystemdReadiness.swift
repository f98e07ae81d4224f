import Logging
import RunnerKit
import RunnerOps
import ServiceLifecycle

/// Tells systemd `READY=1` once the runner's streams are up, and `STOPPING=1` when the drain
/// begins. Listed last in the group so that it is the first to hear of shutdown.
struct SystemdReadiness: Service {
    let notifier: SystemdNotifier
    let state: RunnerState
    let logger: Logger

    func run() async throws {
        guard notifier.isEnabled else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await state.waitUntilStarted()
        }
        if state.hasStarted, !Task.isShuttingDownGracefully {
            send { try notifier.ready(status: "Serving: streams up") }
            logger.debug("told systemd READY=1")
            try? await gracefulShutdown()
        }
        send { try notifier.stopping(status: "Draining in-flight items") }
    }

    private func send(_ body: () throws -> Void) {
        do { try body() } catch { logger.warning("systemd notify failed", metadata: ["error": "\(error)"]) }
    }
}
