import ClarifaiAPI
import Foundation
import SwiftProtobuf

/// Malformed and hostile runner items, each as the fake API sends it.
enum RunnerItemCorpus {
    static func input(_ text: String?, id: String = "in") -> Clarifai_Api_Input {
        var input = Clarifai_Api_Input()
        input.id = id
        if let text { input.data.text.raw = text }
        return input
    }

    static func urlInput(_ url: String) -> Clarifai_Api_Input {
        var input = Clarifai_Api_Input()
        input.id = "url"
        input.data.text.url = url
        return input
    }

    static func request(_ inputs: [Clarifai_Api_Input]) -> Clarifai_Api_PostModelOutputsRequest {
        var request = Clarifai_Api_PostModelOutputsRequest()
        request.modelID = "upper"
        request.inputs = inputs
        return request
    }

    static func item(_ id: String, _ type: Clarifai_Api_RunnerMethodType, _ request: Clarifai_Api_PostModelOutputsRequest?) -> Clarifai_Api_RunnerItem {
        var item = Clarifai_Api_RunnerItem()
        item.id = id
        item.processingInfo.runnerMethodType = type
        if let request { item.postModelOutputsRequest = request }
        return item
    }

    static func response(_ items: [Clarifai_Api_RunnerItem]) -> WireMessage {
        var response = Clarifai_Api_MultiRunnerItemResponse()
        response.status.code = .success
        response.runnerItems = items
        return .message(response)
    }

    static var endOfInput: WireMessage {
        var response = Clarifai_Api_MultiRunnerItemResponse()
        response.status.code = .runnerStreamEnd
        return .message(response)
    }

    /// A scripted item carrying one runner item (plus the end of input for stream-stream).
    static func scripted(_ name: String, _ item: Clarifai_Api_RunnerItem, deadline: Duration = .seconds(15)) -> ScriptedItem {
        var messages = [response([item])]
        if item.processingInfo.runnerMethodType == .streamingStreaming { messages.append(endOfInput) }
        return ScriptedItem(name: name, id: item.id, mode: item.processingInfo.runnerMethodType, messages: messages, deadline: deadline)
    }

    /// A struct nested `depth` levels deep.
    static func nested(_ depth: Int) -> Google_Protobuf_Struct {
        var current = Google_Protobuf_Struct()
        current.fields["leaf"] = Google_Protobuf_Value(stringValue: "x")
        for _ in 0..<depth {
            var outer = Google_Protobuf_Struct()
            outer.fields["n"] = Google_Protobuf_Value(structValue: current)
            current = outer
        }
        return current
    }

    /// `items` encoded, with the text `marker` turned into invalid UTF-8.
    static func corruptedUTF8(_ items: [Clarifai_Api_RunnerItem], marker: String) throws -> [UInt8] {
        var response = Clarifai_Api_MultiRunnerItemResponse()
        response.status.code = .success
        response.runnerItems = items
        let bytes: [UInt8] = try response.serializedBytes()
        let needle = Array(marker.utf8)
        guard let start = (0...(bytes.count - needle.count)).first(where: { Array(bytes[$0..<($0 + needle.count)]) == needle }) else {
            throw SuiteError("marker not found")
        }
        var patched = bytes
        for offset in 0..<needle.count { patched[start + offset] = offset % 2 == 0 ? 0xFF : 0xC3 }
        return patched
    }

    /// An item whose text is not valid UTF-8.
    static func invalidUTF8(_ id: String) throws -> ScriptedItem {
        let marker = "MARKER-0123456789"
        let patched = try corruptedUTF8([item(id, .unaryUnary, request([input(marker)]))], marker: marker)
        return ScriptedItem(name: "invalid UTF-8 text", id: id, mode: .unaryUnary, messages: [.raw(patched)], undecodable: true)
    }

    /// A stream-stream item whose second input is not valid UTF-8: the input is incomplete, so the
    /// item must fail, saying why, rather than answer from part of it.
    static func invalidUTF8FollowUp(_ id: String) throws -> ScriptedItem {
        let marker = "MARKER-0123456789"
        var scripted = scripted("stream follow-up with invalid UTF-8", item(id, .streamingStreaming, request([input("first")])))
        let followUp = try corruptedUTF8([item(id, .streamingStreaming, request([input(marker)]))], marker: marker)
        scripted.messages = [scripted.messages[0], .raw(followUp), endOfInput]
        scripted.undecodable = true
        return scripted
    }

    /// The whole corpus. URL items point at `targets`.
    static func all(targets: URLTargets) throws -> [ScriptedItem] {
        var items: [ScriptedItem] = []
        items.append(scripted("no post_model_outputs_request", item("no-request", .unaryUnary, nil)))
        items.append(scripted("runner_method_type unset", item("type-unset", .unknown, request([input("a")]))))
        items.append(scripted("runner_method_type STREAMING_UNARY", item("type-3", .streamingUnary, request([input("a")]))))
        items.append(scripted("runner_method_type 99", item("type-99", .UNRECOGNIZED(99), request([input("a")]))))
        items.append(scripted("empty inputs, unary", item("empty-unary", .unaryUnary, request([]))))
        items.append(scripted("empty inputs, generate", item("empty-generate", .unaryStreaming, request([]))))
        items.append(scripted("empty inputs, stream", item("empty-stream", .streamingStreaming, request([]))))
        items.append(scripted("input without data", item("no-data", .unaryUnary, request([input(nil)]))))
        items.append(scripted("empty item id", item("", .unaryUnary, request([input("no id")]))))
        items.append(scripted("8 MiB text", item("huge-text", .unaryUnary, request([input(String(repeating: "a", count: 8 << 20))]))))
        items.append(scripted("1,000 inputs", item("thousand", .unaryUnary, request((0..<1000).map { input("t\($0)", id: "i\($0)") }))))
        var deep = input("deep")
        deep.data.metadata = nested(40)
        items.append(scripted("metadata nested 40 deep", item("deep-40", .unaryUnary, request([deep]))))
        deep.data.metadata = nested(150)
        var tooDeep = scripted("metadata nested 150 deep", item("deep-150", .unaryUnary, request([deep])))
        tooDeep.undecodable = true
        items.append(tooDeep)
        items.append(try invalidUTF8("bad-utf8"))
        items.append(try invalidUTF8FollowUp("bad-utf8-follow-up"))
        var twoItems = scripted("two items in one response", item("first-of-two", .unaryUnary, request([input("one")])))
        twoItems.messages = [response([item("first-of-two", .unaryUnary, request([input("one")])), item("second-of-two", .unaryUnary, request([input("two")]))])]
        items.append(twoItems)
        var cancelledOnWork = item("cancel-on-work", .unaryUnary, request([input("c")]))
        cancelledOnWork.processingInfo.status.code = .runnerItemCancelled
        items.append(scripted("RUNNER_ITEM_CANCELLED on a work stream", cancelledOnWork))
        var foreign = scripted("stream follow-up with another id", item("stream-foreign", .streamingStreaming, request([input("x")])))
        foreign.messages = [response([item("stream-foreign", .streamingStreaming, request([input("x")]))]),
                            response([item("someone-else", .streamingStreaming, request([input("y")]))]), endOfInput]
        items.append(foreign)
        var endInItem = item("stream-end-in-item", .streamingStreaming, nil)
        endInItem.processingInfo.status.code = .runnerStreamEnd
        var endMarker = scripted("stream end marker inside an item", item("stream-end-in-item", .streamingStreaming, request([input("z")])))
        endMarker.messages = [endMarker.messages[0], response([endInItem])]
        items.append(endMarker)
        let urls: [(String, String)] = [
            ("URL: unreachable port", "http://127.0.0.1:\(targets.closedPort)/x"),
            ("URL: never answers", "http://127.0.0.1:\(targets.silentPort)/slow"),
            ("URL: Content-Length over the limit", "http://127.0.0.1:\(targets.hugeDeclaredPort)/big"),
            ("URL: streamed body over the limit", "http://127.0.0.1:\(targets.hugeStreamedPort)/big"),
            ("URL: file://", "file:///etc/passwd"),
            ("URL: ftp://", "ftp://127.0.0.1/x"),
            ("URL: not a URL", "::not a url::"),
        ]
        for (index, (name, url)) in urls.enumerated() {
            // Regression: a refused connection used to be retried until the 20 s fetch timeout.
            let deadline: Duration = index == 0 ? .seconds(8) : .seconds(40)
            items.append(scripted(name, item("url-\(index)", .unaryUnary, request([urlInput(url)])), deadline: deadline))
        }
        return items
    }
}
