import ClarifaiAPI

/// The broker's record of one caller request, from submission until its final answer.
struct JobRecord: Sendable {
    /// Where the job is now.
    enum Placement: Sendable, Equatable {
        /// Waiting for a runner since the given instant (reset on a re-queue).
        case queued(since: ContinuousClock.Instant)
        /// On a work stream.
        case stream(waiterID: UInt64, runnerID: String, replicaID: String)
        /// Handed to a poll of the given runner id; `lastActivity` feeds the inactivity limit.
        case poll(runnerID: String, lastActivity: ContinuousClock.Instant)
    }

    /// The item id.
    var id: String
    /// How the runner must answer.
    var mode: Clarifai_Api_RunnerMethodType
    /// The model the caller asked for; routes the job past runners registered for other models.
    var modelID: String
    /// Inputs kept for a replay after a broken stream; dropped once outputs were forwarded,
    /// because a job is never replayed after that.
    var inputs: [Clarifai_Api_PostModelOutputsRequest]
    /// Whether the caller ended its input.
    var inputEnded: Bool
    /// How many times the job was handed to a runner; a job is re-queued at most once.
    var attempts: Int = 0
    /// Whether any output already reached the caller.
    var outputsForwarded = false
    /// Where the job is now.
    var placement: Placement
    /// The number of the next follow-up sent on the polling path, where several polls may carry
    /// one stream's items and the runner puts them back in order (see docs/wire-dialogue.md).
    var nextPollSequence = 1

    /// A job for a caller's first request. Only stream-stream jobs wait for more input.
    init(
        id: String,
        mode: Clarifai_Api_RunnerMethodType,
        request: Clarifai_Api_PostModelOutputsRequest,
        now: ContinuousClock.Instant
    ) {
        self.id = id
        self.mode = mode
        self.modelID = request.modelID.isEmpty ? request.model.id : request.modelID
        self.inputs = [request]
        self.inputEnded = mode != .streamingStreaming
        self.placement = .queued(since: now)
    }
}
