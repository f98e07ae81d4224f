import ClarifaiAPI

/// What a pending `ListRunnerItems` call can receive.
enum PollDelivery: Sendable {
    /// A new job; the poll answers with its first item.
    case assigned(JobAssignment)
    /// A follow-up, end marker or cancel from the runner id's mailbox.
    case item(Clarifai_Api_RunnerItem)
    /// The poll's wait is over.
    case timeout
    /// The polling runner went away.
    case cancelled
    /// The server is shutting down.
    case shutdown
}
