import ClarifaiAPI

/// The one way a job's answers reach the API, so that an item stopped by the engine (timeout,
/// drain deadline) gets exactly one final answer: once ``close(with:)`` has sent the engine's
/// failure, a handler still running (stuck in native code, say) can send nothing more.
final class AnswerGate: Sendable {
    private let sender: AnswerSender
    private let lock = AsyncSemaphore(permits: 1)
    private let closed = CancellationFlag()

    init(_ sender: @escaping AnswerSender) {
        self.sender = sender
    }

    /// Sends one of the job's answers; throws `CancellationError` once the gate is closed.
    func send(_ message: Clarifai_Api_PostRunnerItemOutputsRequest) async throws {
        try await lock.acquire()
        defer { lock.release() }
        guard !closed.isCancelled else { throw CancellationError() }
        try await sender(message)
    }

    /// Closes the gate, then sends `message` as the item's last answer (after any answer already
    /// being written).
    func close(with message: Clarifai_Api_PostRunnerItemOutputsRequest) async throws {
        try await lock.acquire()
        defer { lock.release() }
        closed.cancel()
        try await sender(message)
    }
}
