import CClarifaiRunnerABI
import ClarifaiAPI
import RunnerKit

extension CModelHandler {
    /// Runs a stream-stream session: `stream_open`, one `stream_push` per input (in order, each on
    /// the session's instance), then `stream_close`, which always follows a successful open.
    ///
    /// Outputs may be emitted during any of those calls or from plugin threads in between; one task
    /// forwards them to `output` while this one feeds inputs.
    public func stream(_ inputs: InputStream, context: InferenceContext, output: OutputWriter) async throws {
        guard library.api.stream_open != nil else { throw ModelHandlerError.unsupportedMode(.stream) }
        try enter()
        defer { leave() }
        let params = try paramsJSON(context)
        let channel = PluginOutputChannel(capacity: limits.outputBufferCapacity)
        let call = makeCall("stream", sink: .channel(channel), context: context)
        let library = self.library
        let wantsProto = wantsInputProto
        // A session stays on one instance: its state may refer to that instance's resources.
        let lane = leastBusyLane()

        try await withTaskCancellationHandler {
            let (openStatus, session) = try await run(on: lane) { instance -> (clarifai_status, PluginPointer) in
                var session: OpaquePointer? = nil
                let status = params.withCString { library.api.stream_open!(call.handle, instance.raw, $0, &session) }
                return (status, PluginPointer(raw: session))
            }
            guard openStatus == CLARIFAI_STATUS_OK else {
                channel.finish()
                try call.check(openStatus)
                return
            }

            try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                group.addTask { await self.forward(channel, of: call, to: output) }

                var failure: (any Error)?
                do {
                    for try await input in inputs {
                        if call.isCancelled || call.violation != nil { break }
                        let status = try await run(on: lane) { _ in
                            let buffer = PluginInputBuffer(input, paramsJSON: params, includeProto: wantsProto)
                            return buffer.withInput { library.api.stream_push!(call.handle, session.raw, $0) }
                        }
                        if status != CLARIFAI_STATUS_OK || call.violation != nil {
                            do { try call.check(status) } catch { failure = error }
                            break
                        }
                    }
                } catch {
                    // The caller's input stream failed: tell the plugin before closing.
                    failure = error
                    call.abandon()
                }
                let closeStatus = try await run(on: lane) { _ in
                    library.api.stream_close!(call.handle, session.raw)
                }
                channel.finish()
                let writeError = try await group.next() ?? nil

                // The root cause wins: a contract violation, then a failed write (it abandons the call,
                // so what the plugin returns afterwards is a consequence), then push, then close.
                if call.violation != nil { try call.check(closeStatus) }
                if let writeError { throw writeError }
                if let failure { throw failure }
                try call.check(closeStatus)
                // Input iteration simply ends when the task is cancelled; do not report that as success.
                if call.isCancelled { throw CancellationError() }
            }
        } onCancel: {
            call.abandon()
        }
    }
}
