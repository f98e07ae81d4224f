import ClarifaiAPI

/// What the API sends on a work stream after a stream-stream item: more caller input, or its end.
enum FollowUp: Sendable {
    /// The caller's next message, carried by another item with the same id.
    case inputs(Clarifai_Api_PostModelOutputsRequest)
    /// The caller ended its stream.
    case endOfInput
    /// A follow-up arrived that the runner could not decode: the input is incomplete.
    case undecodable(String)
}

/// Sends one answer for the item being served; throws ``ConnectionLost`` when the API is gone.
typealias AnswerSender = @Sendable (Clarifai_Api_PostRunnerItemOutputsRequest) async throws -> Void

/// The connection to the API failed while answering; the item cannot be answered on it.
struct ConnectionLost: Error, CustomStringConvertible {
    let underlying: any Error
    var description: String { "connection to the API lost: \(ErrorDescription.sanitize(String(describing: underlying)))" }
}
