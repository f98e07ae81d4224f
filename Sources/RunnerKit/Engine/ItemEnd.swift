import Synchronization

/// How serving one item ended, as a one-shot promise: the first of the job's own end and the
/// engine stopping it wins.
final class ItemEnd: Sendable {
    enum Outcome: Sendable {
        /// The job finished; the status label for metrics.
        case finished(String)
        /// The job failed in a way that leaves the item unanswerable (the connection was lost).
        case failed(any Error)
        /// The engine stopped the item (timeout, drain deadline, API cancel) before the job ended.
        case stopped
    }

    private let state = Mutex<(value: Outcome?, waiter: CheckedContinuation<Outcome, Never>?)>((nil, nil))

    func resolve(_ value: Outcome) {
        let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard state.value == nil else { return nil }
            state.value = value
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: value)
    }

    func value() async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Outcome? in
                if let value = state.value { return value }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
