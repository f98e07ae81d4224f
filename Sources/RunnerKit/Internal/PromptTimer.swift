import NIOCore
import NIOPosix
import Synchronization

/// Timers that give their memory back as soon as they are cancelled.
///
/// A cancelled `Task.sleep` resumes its task at once, but the runtime keeps the timer's
/// allocation until the original deadline passes. The engine starts several timers per item and
/// cancels nearly all of them (a 600 s item timeout, 10 s open and close deadlines): at a few
/// hundred items a second that held hundreds of megabytes, the soak's steady RSS growth (see
/// docs/reliability.md). An event loop's scheduled task is dropped when cancelled.
enum PromptTimer {
    /// Runs `action` after `delay`, unless the returned handle is cancelled first.
    static func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> Scheduled<Void> {
        MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(delay)) { action() }
    }

    /// Suspends for `delay`. Throws `CancellationError` as soon as the task is cancelled.
    static func sleep(for delay: Duration) async throws {
        let sleeper = Sleeper()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                sleeper.start(continuation, delay: delay)
            }
        } onCancel: {
            sleeper.cancel()
        }
    }
}

/// One sleep's state; whichever of the timer and the cancellation comes first resumes it.
private final class Sleeper: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, any Error>?
        var timer: Scheduled<Void>?
        var cancelled = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Void, any Error>, delay: Duration) {
        let cancelled = state.withLock { state in
            if !state.cancelled { state.continuation = continuation }
            return state.cancelled
        }
        if cancelled { return continuation.resume(throwing: CancellationError()) }
        let timer = PromptTimer.schedule(after: delay) { [self] in self.fire() }
        // Cancelled between the two steps: the timer is not needed.
        let keep = state.withLock { state in
            if !state.cancelled { state.timer = timer }
            return !state.cancelled
        }
        if !keep { timer.cancel() }
    }

    func fire() {
        state.withLock { state in
            defer { state.continuation = nil; state.timer = nil }
            return state.continuation
        }?.resume()
    }

    func cancel() {
        let (continuation, timer) = state.withLock { state in
            state.cancelled = true
            defer { state.continuation = nil; state.timer = nil }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume(throwing: CancellationError())
    }
}
