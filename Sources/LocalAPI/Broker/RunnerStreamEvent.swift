import ClarifaiAPI

/// Everything a `ProcessRunnerItems` session reacts to, merged into one ordered stream so that one
/// loop owns the stream's writer.
enum RunnerStreamEvent: Sendable {
    /// A message from the runner.
    case runnerMessage(Clarifai_Api_PostRunnerItemOutputsRequest)
    /// The runner half-closed its side: the end of its outputs.
    case runnerClosed
    /// The runner's side broke (reset, connection lost).
    case runnerFailed(String)
    /// The broker handed this work stream a job.
    case assigned(JobAssignment)
    /// A stream-stream caller sent more input for the job on this stream.
    case callerInput(CallerInput)
    /// The caller of the job on this stream went away.
    case callerCancelled
    /// Control streams only: tell the runner to cancel this item.
    case cancelItem(String)
    /// A timer set by the session fired; stale generations are ignored.
    case timer(generation: Int)
    /// The server is shutting down: idle and control streams end.
    case shutdown
}
