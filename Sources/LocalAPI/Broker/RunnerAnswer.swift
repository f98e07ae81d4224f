import ClarifaiAPI

/// One runner message (`PostRunnerItemOutputsRequest`) read for what it means to the job's caller;
/// both runner paths share it so they agree on the protocol's rules.
enum RunnerAnswer: Sendable, Equatable {
    /// Outputs for the caller. `runnerFailed` marks an outer `RUNNER_PROCESSING_FAILED` that came with
    /// an output: that output is the job's last.
    case outputs([Clarifai_Api_MultiOutputResponse], runnerFailed: Bool)
    /// The end of the outputs (the poll path's `RUNNER_STREAM_END` post).
    case endOfOutputs
    /// The runner could not process the item; the status goes to the caller.
    case failure(Clarifai_Api_Status_Status)
    /// Nothing for the caller (for example a bare `SUCCESS`).
    case nothing

    /// Reads a runner message.
    init(_ message: Clarifai_Api_PostRunnerItemOutputsRequest) {
        let outputs = message.runnerItemOutputs.compactMap { output -> Clarifai_Api_MultiOutputResponse? in
            if case .multiOutputResponse(let response) = output.response { return response }
            return nil
        }
        let outer = message.status
        if !outputs.isEmpty {
            self = .outputs(outputs, runnerFailed: outer.code == .runnerProcessingFailed)
        } else if outer.code == .runnerStreamEnd {
            self = .endOfOutputs
        } else if outer.isError {
            var status = Clarifai_Api_Status_Status.make(
                outer.code,
                outer.description_p.isEmpty ? "The runner could not process the request" : outer.description_p
            )
            // Stack traces carry the runner host's file paths; callers get the one-line reason only.
            status.details = outer.details
            self = .failure(status)
        } else {
            self = .nothing
        }
    }
}
