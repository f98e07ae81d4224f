import ClarifaiAPI

/// What the broker hands back to the caller of a job. The stream of events finishing means the job
/// is over; a job ends with at most one `failed`.
enum JobEvent: Sendable {
    /// One answer of the runner, forwarded as it arrives.
    case output(Clarifai_Api_MultiOutputResponse)
    /// The job ended without (further) outputs; the caller is told why.
    case failed(Clarifai_Api_Status_Status)
}
