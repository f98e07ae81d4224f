import Logging
import Synchronization

/// Turns a run of connection failures into two log lines: the first error when the API becomes
/// unreachable, and a summary when it answers again. Shared by all work loops, so an outage is
/// reported once per runner, not once per stream.
final class OutageReporter: Sendable {
    private struct Outage {
        var started: ContinuousClock.Instant
        var failures: Int
    }

    private let outage = Mutex<Outage?>(nil)
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Records a failed attempt; logs only the first of an outage.
    func failed(_ reason: String) {
        let first = outage.withLock { outage -> Bool in
            if outage == nil {
                outage = Outage(started: .now, failures: 1)
                return true
            }
            outage?.failures += 1
            return false
        }
        if first {
            logger.warning("API unreachable; reconnecting with backoff", metadata: ["reason": "\(reason)"])
        }
    }

    /// Records a healthy answer from the API; logs the summary if an outage just ended.
    func recovered() {
        guard let ended = outage.withLock({ outage -> Outage? in
            defer { outage = nil }
            return outage
        }) else { return }
        let seconds = (ContinuousClock.now - ended.started).seconds
        logger.notice(
            "API reachable again",
            metadata: ["outage_seconds": "\(String(format: "%.1f", seconds))", "failed_attempts": "\(ended.failures)"]
        )
    }

    /// Whether an outage is in progress.
    var isInOutage: Bool { outage.withLock { $0 != nil } }
}
