/// Bounds how long a stream may take to open.
///
/// An idle work stream legitimately waits for minutes, so the RPC as a whole has no timeout. But a
/// stream whose handshake never gets written (the client is stuck reconnecting) must not wait
/// forever: past `timeout` without ``opened()``, the call is cancelled and the loop backs off and
/// tries again on a fresh attempt.
struct OpenDeadline: Sendable {
    let timeout: Duration
    private let flag = CancellationFlag()

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Marks the stream as open: the deadline no longer applies.
    func opened() { flag.cancel() }

    /// Runs `call`, cancelling it with ``StreamOpenTimeout`` if it has not opened in time, or as
    /// soon as the drain begins if it has not opened by then (it holds no work, so nothing waits).
    ///
    /// One task and one event-loop timer per stream: this runs for every item, so no task group
    /// racing a sleep against the drain.
    func run(drain: DrainSignal, _ call: @escaping @Sendable () async throws -> Void) async throws {
        let stoppedEarly = CancellationFlag()
        let task = Task { try await call() }
        let stop: @Sendable () -> Void = { [flag] in
            guard !flag.isCancelled else { return }
            stoppedEarly.cancel()
            task.cancel()
        }
        let timer = PromptTimer.schedule(after: timeout, stop)
        let onDrain = drain.registerIdle(stop)
        defer {
            timer.cancel()
            drain.unregisterIdle(onDrain)
        }
        do {
            try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        } catch where stoppedEarly.isCancelled {
            throw StreamOpenTimeout(timeout: timeout)
        }
    }
}

/// A stream did not open in time.
struct StreamOpenTimeout: Error, CustomStringConvertible {
    let timeout: Duration
    var description: String { "the API did not accept a stream within \(Int(timeout.seconds)) s" }
}
