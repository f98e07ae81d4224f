import ClarifaiAPI
import Foundation
import SwiftProtobuf
import Testing

/// Messages built in Swift, parsed by the official Python clarifai-grpc, and back: proves the
/// generated code speaks the official wire format, field for field.
@Suite("Round trip through the official Python package")
struct PythonRoundTripTests {
    struct Echo: Decodable {
        let binary_b64: String
        let json: String
    }

    static var data: Clarifai_Api_Data {
        var data = Clarifai_Api_Data()
        data.text.raw = "Grüße, runner ✓"
        data.image.base64 = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF])
        var concept = Clarifai_Api_Concept()
        concept.id = "positive"
        concept.name = "positive"
        concept.value = 0.875
        data.concepts = [concept]
        var embedding = Clarifai_Api_Embedding()
        embedding.vector = [0.25, -1.5, 3.0e-7]
        embedding.numDimensions = 3
        data.embeddings = [embedding]
        data.metadata.fields["_method_name"] = .init(stringValue: "predict")
        return data
    }

    static var multiOutputResponse: Clarifai_Api_MultiOutputResponse {
        var output = Clarifai_Api_Output()
        output.id = "out-1"
        output.status.code = .success
        output.data = data
        output.input.id = "in-1"
        var response = Clarifai_Api_MultiOutputResponse()
        response.status.code = .mixedStatus
        response.status.description_p = "1 of 2 inputs succeeded"
        var failed = Clarifai_Api_Output()
        failed.status.code = .failure
        failed.status.description_p = "asked to fail"
        response.outputs = [output, failed]
        return response
    }

    static var runnerItem: Clarifai_Api_RunnerItem {
        var item = Clarifai_Api_RunnerItem()
        item.id = "item-42"
        item.processingInfo.runnerMethodType = .streamingStreaming
        item.processingInfo.processingID = "p-1"
        var request = Clarifai_Api_PostModelOutputsRequest()
        request.userAppID.userID = "me"
        request.modelID = "upper"
        var input = Clarifai_Api_Input()
        input.id = "in-1"
        input.data = data
        request.inputs = [input]
        request.model.modelVersion.outputInfo.params.fields["temperature"] = .init(numberValue: 0.5)
        item.postModelOutputsRequest = request
        return item
    }

    static var postRunnerItemOutputsRequest: Clarifai_Api_PostRunnerItemOutputsRequest {
        var message = Clarifai_Api_PostRunnerItemOutputsRequest()
        message.userAppID.userID = "me"
        message.nodepoolID = "np"
        message.runnerID = "runner-1"
        message.runnerItemID = "item-42"
        message.computeClusterID = "cc"
        message.runnerReplicaID = "replica"
        var output = Clarifai_Api_RunnerItemOutput()
        output.multiOutputResponse = multiOutputResponse
        message.runnerItemOutputs = [output]
        message.status.code = .success
        return message
    }

    func roundTrip<M: SwiftProtobuf.Message & Equatable>(_ message: M, as type: String) throws {
        let bytes: Data = try message.serializedBytes()
        let echoed = try JSONDecoder().decode(Echo.self, from: InteropPython.run("roundtrip.py", [type], stdin: bytes))
        let binary = try #require(Data(base64Encoded: echoed.binary_b64))
        #expect(try M(serializedBytes: binary) == message, "binary from Python differs for \(type)")
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        #expect(try M(jsonString: echoed.json, options: options) == message, "JSON from Python differs for \(type)")
        #expect(echoed.json.contains("\"runner_item_id\"") || type != "PostRunnerItemOutputsRequest")
    }

    @Test func runnerItem() throws { try roundTrip(Self.runnerItem, as: "RunnerItem") }
    @Test func postRunnerItemOutputsRequest() throws { try roundTrip(Self.postRunnerItemOutputsRequest, as: "PostRunnerItemOutputsRequest") }
    @Test func multiOutputResponse() throws { try roundTrip(Self.multiOutputResponse, as: "MultiOutputResponse") }
}
