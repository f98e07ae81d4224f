import ClarifaiAPI

extension Clarifai_Api_Status_Status {
    /// A status with a code and a one-line description, the shape every answer of the local API uses.
    static func make(_ code: Clarifai_Api_Status_StatusCode, _ description: String = "") -> Self {
        var status = Self()
        status.code = code
        status.description_p = description
        return status
    }

    /// Whether the code reports an error, as opposed to success or one of the protocol's markers.
    var isError: Bool {
        switch code {
        case .zero, .success, .mixedStatus, .runnerStreamStart:
            return false
        default:
            return true
        }
    }
}
