import CClarifaiRunnerABI
import ClarifaiAPI
import RunnerKit

extension CModelHandler {
    /// Runs the plugin's `generate` on an instance thread and forwards each emitted output.
    ///
    /// The plugin's `emit` hands outputs to a bounded channel; this task writes them to `output`.
    /// When the caller is slow the plugin thread waits in `emit`, never a Swift thread. If writing
    /// fails or the task is cancelled, the plugin's next `emit` and `is_cancelled` say so.
    public func generate(_ input: Clarifai_Api_Input, context: InferenceContext, output: OutputWriter) async throws {
        guard library.api.generate != nil else { throw ModelHandlerError.unsupportedMode(.generate) }
        try enter()
        defer { leave() }
        let params = try paramsJSON(context)
        let channel = PluginOutputChannel(capacity: limits.outputBufferCapacity)
        let call = makeCall("generate", sink: .channel(channel), context: context)
        let library = self.library
        let wantsProto = wantsInputProto
        let lane = leastBusyLane()

        try await withTaskCancellationHandler {
            async let status = run(on: lane) { instance in
                defer { channel.finish() }
                let buffer = PluginInputBuffer(input, paramsJSON: params, includeProto: wantsProto)
                return buffer.withInput { library.api.generate!(call.handle, instance.raw, $0) }
            }
            let writeError = await forward(channel, of: call, to: output)
            // Always wait for the plugin: it may still use the call and its input until it returns.
            let result = try await status
            // A failed write abandons the call, so the plugin's CANCELLED is a consequence, not the cause.
            if let writeError, call.violation == nil { throw writeError }
            try call.check(result)
        } onCancel: {
            call.abandon()
        }
    }

    /// Writes the channel's outputs until it ends; returns the first write error. After a failed
    /// write it keeps draining, so a plugin blocked in `emit` is released.
    func forward(_ channel: PluginOutputChannel, of call: PluginCall, to output: OutputWriter) async -> (any Error)? {
        var writeError: (any Error)?
        for await item in channel.outputs {
            channel.consumed()
            guard writeError == nil else { continue }
            do {
                try await output.write(item)
            } catch {
                writeError = error
                call.abandon()
            }
        }
        return writeError
    }
}
