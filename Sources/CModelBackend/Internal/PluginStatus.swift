import CClarifaiRunnerABI

/// Names of `clarifai_status` values, for messages and logs.
enum PluginStatus {
    static func name(_ status: clarifai_status) -> String {
        switch status {
        case CLARIFAI_STATUS_OK: "OK"
        case CLARIFAI_STATUS_CANCELLED: "CANCELLED"
        case CLARIFAI_STATUS_INVALID_ARGUMENT: "INVALID_ARGUMENT"
        case CLARIFAI_STATUS_UNSUPPORTED: "UNSUPPORTED"
        case CLARIFAI_STATUS_RESOURCE_EXHAUSTED: "RESOURCE_EXHAUSTED"
        case CLARIFAI_STATUS_FAILED_PRECONDITION: "FAILED_PRECONDITION"
        case CLARIFAI_STATUS_UNAVAILABLE: "UNAVAILABLE"
        case CLARIFAI_STATUS_INTERNAL: "INTERNAL"
        default: "status \(status)"
        }
    }

    /// Plugin messages reach API callers, whose errors are one line.
    static func oneLine(_ message: String) -> String {
        let flattened = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flattened.count > 1000 ? String(flattened.prefix(1000)) + "…" : flattened
    }
}
