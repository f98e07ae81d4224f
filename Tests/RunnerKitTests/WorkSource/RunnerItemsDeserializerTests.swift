import ClarifaiAPI
import GRPCCore
import SwiftProtobuf
import Testing
@testable import RunnerKit

/// An item the runner cannot decode must still be answerable: its id is read from the wire.
@Suite("Undecodable items")
struct RunnerItemsDeserializerTests {
    /// Two items whose texts carry a marker that the test turns into invalid UTF-8.
    static func encoded(ids: [String]) throws -> [UInt8] {
        var response = Clarifai_Api_MultiRunnerItemResponse()
        response.runnerItems = ids.map { id in
            var item = Clarifai_Api_RunnerItem()
            item.id = id
            var request = Clarifai_Api_PostModelOutputsRequest()
            var input = Clarifai_Api_Input()
            input.data.text.raw = "MARK"
            request.inputs = [input]
            item.request = .postModelOutputsRequest(request)
            return item
        }
        return try response.serializedBytes()
    }

    static func corrupt(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let marker = Array("MARK".utf8)
        for index in 0...(bytes.count - marker.count) where Array(bytes[index..<index + marker.count]) == marker {
            bytes[index] = 0xFF
        }
        return bytes
    }

    @Test("a valid message decodes as usual")
    func valid() throws {
        let response = try RunnerItemsDeserializer().deserialize(try Self.encoded(ids: ["a"]))
        #expect(response.runnerItems.map(\.id) == ["a"])
        #expect(UndecodableItem.reason(response.runnerItems[0]) == nil)
    }

    @Test("invalid UTF-8 keeps every item's id and says why")
    func invalidUTF8() throws {
        let bytes = Self.corrupt(try Self.encoded(ids: ["item-1", "item-2"]))
        #expect(throws: (any Error).self) { try Clarifai_Api_MultiRunnerItemResponse(serializedBytes: bytes) }
        let response = try RunnerItemsDeserializer().deserialize(bytes)
        #expect(response.runnerItems.map(\.id) == ["item-1", "item-2"])
        let reason = try #require(UndecodableItem.reason(response.runnerItems[0]))
        #expect(reason.contains("could not decode"))
    }

    @Test("bytes with no readable item id still fail as before")
    func noIDs() throws {
        let truncated = Array(Self.corrupt(try Self.encoded(ids: ["x"])).prefix(3))
        #expect(throws: (any Error).self) { try RunnerItemsDeserializer().deserialize(truncated) }
        #expect(throws: (any Error).self) { try RunnerItemsDeserializer().deserialize([0xFF, 0xFF, 0xFF]) }
    }
}
