import ClarifaiAPI

/// Why the registry refused a change, as the status to answer with.
struct RegistryRejection: Error, Sendable {
    /// The status for the caller.
    var status: Clarifai_Api_Status_Status

    init(_ code: Clarifai_Api_Status_StatusCode, _ description: String) {
        self.status = .make(code, description)
    }
}
