import ClarifaiAPI

/// Something a stream-stream caller sent after its first request.
enum CallerInput: Sendable {
    /// One more request; it reaches the runner as another item with the job's id.
    case message(Clarifai_Api_PostModelOutputsRequest)
    /// The caller half-closed: the runner is told with a `RUNNER_STREAM_END` marker.
    case end
}
