import Synchronization

/// Why an item stopped early, which decides whether it is still answered.
final class ItemCancellation: Sendable {
    enum Reason: Sendable, Equatable {
        /// The API cancelled it (the caller went away): send nothing more.
        case api
        /// It ran past its deadline: answer with a failure.
        case timeout(Duration)
        /// The drain ran out of time: answer with a failure if the connection still works.
        case shutdown
    }

    let flag = CancellationFlag()
    private let reason = Mutex<Reason?>(nil)
    private let stop = DrainSignal()

    /// Records the first reason, raises the handler-visible flag and runs the ``onStop(_:)`` actions.
    func cancel(_ why: Reason) {
        reason.withLock { if $0 == nil { $0 = why } }
        flag.cancel()
        stop.begin()
    }

    /// Runs `action` once when the item is cancelled for any reason (at once if it already is).
    /// A callback rather than an awaitable: a waiting task per item costs more than the item's work.
    func onStop(_ action: @escaping @Sendable () -> Void) -> UInt64? {
        stop.registerIdle(action)
    }

    /// Forgets an action registered with ``onStop(_:)``.
    func removeOnStop(_ token: UInt64?) {
        stop.unregisterIdle(token)
    }

    var current: Reason? { reason.withLock { $0 } }

    /// Whether answers should be dropped because nobody is waiting for them.
    var answersDropped: Bool { current == .api }

    /// The caller-facing description of a stop for `reason`.
    func describe(_ error: any Error) -> String {
        switch current {
        case .timeout(let limit): "timed out after \(Int(limit.seconds)) s"
        case .shutdown: "runner shutting down"
        case .api: "cancelled"
        case nil: ErrorDescription.forCaller(error)
        }
    }
}
