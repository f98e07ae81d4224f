import ClarifaiAPI

/// How per-output statuses add up to a response status.
enum StatusRules {
    /// `SUCCESS` when every output succeeded, `MIXED_STATUS` when some did, `FAILURE` when none did.
    static func aggregate(_ outputs: [Clarifai_Api_Output]) -> Clarifai_Api_Status_Status {
        let succeeded = outputs.filter { $0.status.code == .success }.count
        switch succeeded {
        case outputs.count where !outputs.isEmpty:
            return .init(code: .success, description: "Ok")
        case 0:
            let first = outputs.first?.status.description_p ?? "no outputs"
            return .init(code: .failure, description: outputs.count == 1 ? first : "all \(outputs.count) inputs failed; first: \(first)")
        default:
            return .init(code: .mixedStatus, description: "\(succeeded) of \(outputs.count) inputs succeeded")
        }
    }

    /// An output that reports `error` for `input`, with a one-line, caller-safe description.
    static func failedOutput(for input: Clarifai_Api_Input, error: any Error) -> Clarifai_Api_Output {
        var output = Clarifai_Api_Output()
        output.input.id = input.id
        output.status = .init(code: .failure, description: ErrorDescription.forCaller(error))
        return output
    }
}
