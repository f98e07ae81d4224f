import ClarifaiAPI
import Synchronization

/// How a newly opened work stream (or poll) turned out, as its loop needs to know.
enum StreamStart: Sendable {
    /// It received an item; the loop opens the next stream at once.
    case gotWork
    /// The API asked for a new stream (`RUNNER_NEEDS_RETRY` or no work): open one at once.
    case retryNow
    /// The API answered with an error status (bad credentials, unknown runner…): back off.
    case refused(Clarifai_Api_Status_Status)
    /// The connection failed: back off.
    case failed(any Error)
    /// The runner is draining and closed the stream.
    case drained
}

/// A one-shot promise of a ``StreamStart``: the first resolution wins.
final class StreamStartSignal: Sendable {
    private let state = Mutex<(value: StreamStart?, waiter: CheckedContinuation<StreamStart, Never>?)>((nil, nil))

    func resolve(_ value: StreamStart) {
        let waiter = state.withLock { state -> CheckedContinuation<StreamStart, Never>? in
            guard state.value == nil else { return nil }
            state.value = value
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: value)
    }

    func wait() async -> StreamStart {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> StreamStart? in
                if let value = state.value { return value }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
