import ClarifaiAPI
import GRPCCore
import RunnerKit

/// The messages every scenario sends, so the ceiling and the runner paths carry the same bytes.
enum Workload {
    /// The token the in-process local API accepts.
    static let pat = "bench-pat-0123456789"
    /// The caller's credentials, sent on every call (the ceiling servers ignore them, but pay for them).
    static let metadata: Metadata = ["authorization": .string("Key \(pat)")]
    /// The text of a unary or stream-stream input.
    static let unaryText = "hello benchmark"
    /// How many outputs a generate call produces.
    static let generateOutputs = 2_000

    /// The runner identity used for in-process engines and spawned runners.
    static func identity(runnerID: String) -> RunnerIdentity {
        RunnerIdentity(userID: "bench", computeClusterID: "bench-cc", nodepoolID: "bench-np", runnerID: runnerID)
    }

    /// A one-input request carrying `text`.
    static func request(_ text: String) -> Clarifai_Api_PostModelOutputsRequest {
        var request = Clarifai_Api_PostModelOutputsRequest()
        request.modelID = "bench"
        var input = Clarifai_Api_Input()
        input.id = "input-0"
        input.data.text.raw = text
        request.inputs = [input]
        return request
    }

    /// The unary and stream-stream request.
    static let unaryRequest = request(unaryText)

    /// The generate request: one word per output, the semantics every model here shares
    /// (`example:upper`, the official runner's model, and the no-op handlers).
    static let generateRequest = request(Array(repeating: "w", count: generateOutputs).joined(separator: " "))

    /// The answer a runner gives for `text`: one successful output linked to its input, as the
    /// engine's unary answer looks, so the ceiling sends the same bytes back.
    static func answer(text: String, inputID: String = "input-0") -> Clarifai_Api_MultiOutputResponse {
        var output = Clarifai_Api_Output.text(text)
        output.status = .init(code: .success, description: "Ok")
        output.input.id = inputID
        var response = Clarifai_Api_MultiOutputResponse()
        response.outputs = [output]
        response.status = .init(code: .success, description: "Ok")
        return response
    }
}
