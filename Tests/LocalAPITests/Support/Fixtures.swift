import ClarifaiAPI
import GRPCCore

/// Small builders shared by the tests.
enum Fixtures {
    static let pat = "test-pat"
    static let auth: Metadata = ["authorization": "Key \(pat)"]

    /// A request with one text input per string.
    static func request(model: String = "m1", texts: [String]) -> Clarifai_Api_PostModelOutputsRequest {
        var request = Clarifai_Api_PostModelOutputsRequest()
        request.modelID = model
        request.inputs = texts.map { text in
            var input = Clarifai_Api_Input()
            input.data.text.raw = text
            return input
        }
        return request
    }

    /// A successful response with one text output per string.
    static func response(texts: [String]) -> Clarifai_Api_MultiOutputResponse {
        var response = Clarifai_Api_MultiOutputResponse()
        response.status.code = .success
        response.outputs = texts.map { text in
            var output = Clarifai_Api_Output()
            output.status.code = .success
            output.data.text.raw = text
            return output
        }
        return response
    }

    /// The texts of a request's inputs.
    static func texts(_ request: Clarifai_Api_PostModelOutputsRequest) -> [String] {
        request.inputs.map(\.data.text.raw)
    }

    /// The texts of a response's outputs.
    static func texts(_ response: Clarifai_Api_MultiOutputResponse) -> [String] {
        response.outputs.map(\.data.text.raw)
    }
}
