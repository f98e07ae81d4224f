import ClarifaiAPI
import GRPCCore
import GRPCProtobuf

/// The transport ceiling: the model RPCs answered at once by a service that does nothing but echo,
/// with the answer a runner would give. Whatever the runner path costs beyond this is ours.
///
/// It registers only the three model methods, so it is a plain `RegistrableRPCService` rather than
/// an implementation of the whole generated V2 protocol.
struct EchoService: RegistrableRPCService {
    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Clarifai_Api_V2.Method.PostModelOutputs.descriptor,
            deserializer: ProtobufDeserializer<Clarifai_Api_PostModelOutputsRequest>(),
            serializer: ProtobufSerializer<Clarifai_Api_MultiOutputResponse>()
        ) { request, _ in
            let message = try await ServerRequest(stream: request).message
            return StreamingServerResponse(single: ServerResponse(message: Self.echo(message)))
        }
        router.registerHandler(
            forMethod: Clarifai_Api_V2.Method.GenerateModelOutputs.descriptor,
            deserializer: ProtobufDeserializer<Clarifai_Api_PostModelOutputsRequest>(),
            serializer: ProtobufSerializer<Clarifai_Api_MultiOutputResponse>()
        ) { request, _ in
            let message = try await ServerRequest(stream: request).message
            return StreamingServerResponse { writer in
                // One output per word, as every model in the benchmark generates.
                let words = message.inputs.first?.data.text.raw.split(separator: " ") ?? []
                for word in words {
                    try await writer.write(Workload.answer(text: String(word)))
                }
                return [:]
            }
        }
        router.registerHandler(
            forMethod: Clarifai_Api_V2.Method.StreamModelOutputs.descriptor,
            deserializer: ProtobufDeserializer<Clarifai_Api_PostModelOutputsRequest>(),
            serializer: ProtobufSerializer<Clarifai_Api_MultiOutputResponse>()
        ) { request, _ in
            StreamingServerResponse { writer in
                for try await message in request.messages {
                    try await writer.write(Self.echo(message))
                }
                return [:]
            }
        }
    }

    private static func echo(_ request: Clarifai_Api_PostModelOutputsRequest) -> Clarifai_Api_MultiOutputResponse {
        let input = request.inputs.first ?? Clarifai_Api_Input()
        return Workload.answer(text: input.data.text.raw, inputID: input.id)
    }
}
