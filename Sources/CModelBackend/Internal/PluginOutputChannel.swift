import ClarifaiAPI
import Dispatch

/// Carries the outputs of one generate or stream call from plugin threads to the awaiting task.
///
/// It is bounded: a plugin thread that gets `capacity` outputs ahead of the caller blocks inside
/// `emit` (on its own thread, never on the cooperative pool) until the task has taken one.
final class PluginOutputChannel: Sendable {
    /// The outputs, in emit order; ends when ``finish()`` is called or the consuming task is cancelled.
    let outputs: AsyncStream<Clarifai_Api_Output>
    private let continuation: AsyncStream<Clarifai_Api_Output>.Continuation
    private let credits: DispatchSemaphore

    init(capacity: Int) {
        (outputs, continuation) = AsyncStream.makeStream(of: Clarifai_Api_Output.self)
        // Start at zero and add the credits: libdispatch traps when a semaphore is released with a
        // value below the one it was created with, which a cancelled call legitimately leaves.
        credits = DispatchSemaphore(value: 0)
        for _ in 0..<max(1, capacity) { credits.signal() }
    }

    /// Sends one output from a plugin thread, waiting for room. Returns `false` when the call was
    /// abandoned meanwhile or nobody reads any more.
    func send(_ output: Clarifai_Api_Output, isAbandoned: () -> Bool) -> Bool {
        // Poll so a cancelled caller releases a plugin blocked on a full buffer.
        while credits.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            if isAbandoned() { return false }
        }
        if case .terminated = continuation.yield(output) { return false }
        return true
    }

    /// Tells the channel the task has taken an output off the buffer.
    func consumed() {
        credits.signal()
    }

    /// Ends ``outputs`` once the buffered outputs are read.
    func finish() {
        continuation.finish()
    }
}
