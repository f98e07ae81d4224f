import CClarifaiRunnerABI
import ClarifaiAPI
import Logging
import RunnerKit
import Synchronization

/// The host object behind one `clarifai_call *`: where a plugin call's outputs, failure message
/// and cancellation meet.
///
/// The plugin gets an unretained pointer to it; the Swift code that made the call keeps it alive
/// until the plugin has returned (for a stream, until `stream_close` has returned).
final class PluginCall: Sendable {
    /// Where `emit` sends outputs.
    enum Sink: Sendable {
        /// `load` and `instance_create`: emitting is a contract violation.
        case none
        /// `predict`: exactly one output, kept for the caller.
        case single
        /// `generate` and stream sessions: any number of outputs, in order.
        case channel(PluginOutputChannel)
    }

    /// A rule the plugin broke during the call; it overrides whatever the plugin returns.
    struct Violation: Error, Sendable, Equatable {
        var status: clarifai_status
        var message: String
    }

    private struct State {
        var failureMessage: String?
        var violation: Violation?
        var finalSeen = false
        var singleOutput: Clarifai_Api_Output?
    }

    /// The plugin file's name, the first word of every error this call produces.
    let pluginLabel: String
    /// The ABI function being called: `predict`, `generate`, `stream`, `load`...
    let function: String
    let logger: Logger
    let sink: Sink
    let maxOutputBytes: Int
    private let cancellation: CancellationFlag?
    private let abandoned = Atomic<Bool>(false)
    private let state = Mutex(State())

    init(
        pluginLabel: String,
        function: String,
        sink: Sink,
        maxOutputBytes: Int,
        cancellation: CancellationFlag? = nil,
        logger: Logger
    ) {
        self.pluginLabel = pluginLabel
        self.function = function
        self.sink = sink
        self.maxOutputBytes = maxOutputBytes
        self.cancellation = cancellation
        var logger = logger
        logger[metadataKey: "plugin_call"] = "\(function)"
        self.logger = logger
    }

    /// The `clarifai_call *` handed to the plugin.
    var handle: OpaquePointer {
        OpaquePointer(Unmanaged.passUnretained(self).toOpaque())
    }

    /// The call behind a handle the plugin passed back.
    static func from(_ handle: OpaquePointer) -> PluginCall {
        Unmanaged<PluginCall>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    /// Whether the plugin should stop: the item was cancelled, or the host gave up on the call.
    var isCancelled: Bool {
        abandoned.load(ordering: .acquiring) || (cancellation?.isCancelled ?? false)
    }

    /// Gives up on the call (task cancelled, caller gone): further emits answer `CANCELLED`.
    func abandon() {
        abandoned.store(true, ordering: .releasing)
    }

    /// Records the message of a `fail` call.
    func recordFailure(_ message: String) {
        state.withLock { $0.failureMessage = message }
    }

    /// The first contract violation, if any.
    var violation: Violation? {
        state.withLock { $0.violation }
    }

    /// Records a violation (the first one wins) and returns its status for `emit` to answer.
    @discardableResult
    func recordViolation(_ status: clarifai_status, _ message: String) -> clarifai_status {
        state.withLock { state in
            if state.violation == nil { state.violation = Violation(status: status, message: message) }
        }
        logger.warning("plugin broke the ABI contract", metadata: ["reason": "\(message)"])
        return status
    }

    /// The body of `host->emit`; runs on a plugin thread.
    func emit(_ output: UnsafePointer<clarifai_output>?, flags: UInt32) -> clarifai_status {
        if let violation { return violation.status }
        let isFinal = flags & CLARIFAI_EMIT_FINAL != 0
        let alreadyFinal = state.withLock { state in
            let was = state.finalSeen
            if case .single = sink { state.finalSeen = true } else if isFinal { state.finalSeen = true }
            return was
        }
        if alreadyFinal {
            return recordViolation(CLARIFAI_STATUS_FAILED_PRECONDITION, "output emitted after the FINAL output")
        }
        let converted: Clarifai_Api_Output
        switch PluginOutputReader.read(output, maxBytes: maxOutputBytes) {
        case .success(let value): converted = value
        case .failure(let violation): return recordViolation(violation.status, violation.message)
        }
        if isCancelled { return CLARIFAI_STATUS_CANCELLED }
        switch sink {
        case .none:
            return recordViolation(CLARIFAI_STATUS_FAILED_PRECONDITION, "emit during \(function), which has no outputs")
        case .single:
            state.withLock { $0.singleOutput = converted }
            return CLARIFAI_STATUS_OK
        case .channel(let channel):
            let sent = channel.send(converted) { self.isCancelled }
            return sent ? CLARIFAI_STATUS_OK : CLARIFAI_STATUS_CANCELLED
        }
    }

    /// The output of a `predict` call.
    func takeSingleOutput() -> Clarifai_Api_Output? {
        state.withLock { state in
            defer { state.singleOutput = nil }
            return state.singleOutput
        }
    }

    /// Turns what the plugin returned into success or the error one input fails with.
    ///
    /// Violations come first (the host caught the plugin breaking the contract), then cancellation,
    /// then the plugin's own status and message.
    func check(_ status: clarifai_status) throws {
        let (violation, message) = state.withLock { ($0.violation, $0.failureMessage) }
        if let violation {
            throw ModelHandlerError.failed("\(pluginLabel): \(function): \(violation.message)")
        }
        if status == CLARIFAI_STATUS_OK { return }
        if status == CLARIFAI_STATUS_CANCELLED, isCancelled { throw CancellationError() }
        let reason = message ?? "returned \(PluginStatus.name(status)) without a message"
        let line = "\(pluginLabel): \(function): \(PluginStatus.oneLine(reason))"
        if status == CLARIFAI_STATUS_INVALID_ARGUMENT { throw ModelHandlerError.invalidInput(line) }
        throw ModelHandlerError.failed(line)
    }

    /// The failure message the plugin recorded, or a description of the bare status.
    func failureDescription(for status: clarifai_status) -> String {
        if let violation { return violation.message }
        let message = state.withLock { $0.failureMessage }
        return PluginStatus.oneLine(message ?? "no message")
    }
}
