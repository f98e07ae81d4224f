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

    /// Records the first reason, raises the handler-visible flag and wakes ``stopped()``.
    func cancel(_ why: Reason) {
        reason.withLock { if $0 == nil { $0 = why } }
        flag.cancel()
        stop.begin()
    }

    /// Returns once the item is cancelled for any reason (or the waiting task is cancelled).
    func stopped() async {
        await stop.wait()
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
