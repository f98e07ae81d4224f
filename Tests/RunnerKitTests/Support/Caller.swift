import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2
import RunnerKit

/// A client of the local API, as a model's caller would use it.
struct Caller: Sendable {
    let api: Clarifai_Api_V2.Client<HTTP2ClientTransport.Posix>
    var metadata: Metadata = ["authorization": .string("Key \(TestPeer.pat)")]

    static func with<R: Sendable>(port: Int, _ body: (Caller) async throws -> R) async throws -> R {
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in
            try await body(Caller(api: Clarifai_Api_V2.Client(wrapping: client)))
        }
    }

    static func request(_ texts: [String], model: String = "upper") -> Clarifai_Api_PostModelOutputsRequest {
        var request = Clarifai_Api_PostModelOutputsRequest()
        request.modelID = model
        request.inputs = texts.enumerated().map { index, text in
            var input = Clarifai_Api_Input()
            input.id = "input-\(index)"
            input.data.text.raw = text
            return input
        }
        return request
    }

    func predict(_ texts: [String]) async throws -> Clarifai_Api_MultiOutputResponse {
        try await api.postModelOutputs(Self.request(texts), metadata: metadata, options: .oneOff(timeout: .seconds(30)))
    }

    func generate(_ text: String) async throws -> [Clarifai_Api_MultiOutputResponse] {
        try await api.generateModelOutputs(Self.request([text]), metadata: metadata, options: .oneOff(timeout: .seconds(30))) { response in
            var all: [Clarifai_Api_MultiOutputResponse] = []
            for try await message in response.messages { all.append(message) }
            return all
        }
    }

    func stream(_ texts: [String]) async throws -> [Clarifai_Api_MultiOutputResponse] {
        let request = StreamingClientRequest<Clarifai_Api_PostModelOutputsRequest>(metadata: metadata) { writer in
            for text in texts { try await writer.write(Self.request([text])) }
        }
        return try await api.streamModelOutputs(request: request, options: .oneOff(timeout: .seconds(30))) { response in
            var all: [Clarifai_Api_MultiOutputResponse] = []
            for try await message in response.messages { all.append(message) }
            return all
        }
    }
}

extension Clarifai_Api_MultiOutputResponse {
    /// The texts of all outputs.
    var texts: [String] { outputs.map(\.data.text.raw) }
}
