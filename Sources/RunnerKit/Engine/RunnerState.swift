import Synchronization

/// The runner's health, for readiness probes and the systemd notifier.
public final class RunnerState: Sendable {
    /// Where the runner is in its life.
    public enum Phase: String, Sendable {
        /// Connecting for the first time.
        case starting
        /// Streams are open and waiting for work.
        case ready
        /// Was ready, but the API is unreachable right now.
        case reconnecting
        /// Graceful shutdown: finishing in-flight items.
        case draining
        /// Stopped.
        case stopped
    }

    private struct State {
        var phase: Phase = .starting
        var readyWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Creates a state in ``Phase/starting``.
    public init() {}

    /// The current phase.
    public var phase: Phase { state.withLock { $0.phase } }

    /// Whether the runner can take work now.
    public var isReady: Bool { phase == .ready }

    /// Whether the runner has been ready at least once.
    public var hasStarted: Bool { phase != .starting }

    /// Suspends until the runner is first ready (or stops without ever being ready).
    public func waitUntilStarted() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.phase != .starting { return true }
                state.readyWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func streamOpened() {
        transition { $0 == .starting || $0 == .reconnecting ? .ready : nil }
    }

    func streamFailed() {
        transition { $0 == .ready ? .reconnecting : nil }
    }

    func draining() { transition { $0 == .stopped ? nil : .draining } }

    func stopped() { transition { _ in .stopped } }

    private func transition(_ next: (Phase) -> Phase?) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard let new = next(state.phase) else { return [] }
            state.phase = new
            guard new != .starting else { return [] }
            defer { state.readyWaiters = [] }
            return state.readyWaiters
        }
        waiters.forEach { $0.resume() }
    }
}
