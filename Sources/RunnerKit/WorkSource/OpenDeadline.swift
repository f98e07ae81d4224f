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
    func run(drain: DrainSignal, _ call: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await call()
                return true
            }
            group.addTask { [flag, timeout] in
                await withTaskGroup(of: Void.self) { race in
                    race.addTask { try? await PromptTimer.sleep(for: timeout) }
                    race.addTask { await drain.wait() }
                    await race.next()
                    race.cancelAll()
                }
                try Task.checkCancellation()
                if !flag.isCancelled { throw StreamOpenTimeout(timeout: timeout) }
                return false
            }
            // The first error (a timeout, or the call's own) ends the group and cancels the other.
            // So does the call's end: the deadline's timer must not keep a finished stream (and
            // its in-flight permit) alive until the timeout.
            while let callEnded = try await group.next() {
                if callEnded {
                    group.cancelAll()
                    return
                }
            }
        }
    }
}

/// A stream did not open in time.
struct StreamOpenTimeout: Error, CustomStringConvertible {
    let timeout: Duration
    var description: String { "the API did not accept a stream within \(Int(timeout.seconds)) s" }
}
