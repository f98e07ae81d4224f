import ClarifaiAPI

/// A job handed to one runner stream or poll: everything the runner side must send for it.
///
/// It carries every input received so far, so a job re-queued after a broken stream is replayed
/// whole on the next stream.
struct JobAssignment: Sendable {
    /// The item id, shared by all items of the job.
    var jobID: String
    /// How the runner must answer.
    var mode: Clarifai_Api_RunnerMethodType
    /// The first request, then the stream-stream follow-ups received so far.
    var inputs: [Clarifai_Api_PostModelOutputsRequest]
    /// Whether the caller already ended its input (stream-stream only).
    var inputEnded: Bool
}
