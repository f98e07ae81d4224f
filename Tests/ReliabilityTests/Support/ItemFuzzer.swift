import ClarifaiAPI
import SwiftProtobuf

/// A seeded generator of random runner items: random ids, method types (valid and not), input
/// counts, texts (including empty and non-ASCII), bytes, metadata, URLs the runner must refuse,
/// stream follow-ups (some with a foreign id) and both shapes of the end-of-input marker.
struct ItemFuzzer {
    var random: SeededRandom
    private var serial = 0

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    private mutating func text() -> String {
        let pieces = ["hello", "", " ", "ünïcödé", "日本語", "🙂", "a b c", "\u{0}", String(repeating: "z", count: 3000), "tab\tnew\nline"]
        return (0..<Int.random(in: 1...3, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined(separator: " ")
    }

    private mutating func input(closedPort: Int) -> Clarifai_Api_Input {
        var input = Clarifai_Api_Input()
        if chance(80) { input.id = "in-\(Int.random(in: 0..<1000, using: &random))" }
        switch Int.random(in: 0..<10, using: &random) {
        case 0: break  // no data at all
        case 1: input.data.image.base64 = Data((0..<Int.random(in: 0..<2048, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        case 2: input.data.text.url = ["file:///etc/hostname", "ftp://127.0.0.1/f", "http://127.0.0.1:\(closedPort)/", "gopher://x", "http://"].randomElement(using: &random)!
        default: input.data.text.raw = text()
        }
        if chance(20) { input.data.metadata = RunnerItemCorpus.nested(Int.random(in: 0...30, using: &random)) }
        return input
    }

    private mutating func methodType() -> Clarifai_Api_RunnerMethodType {
        let types: [Clarifai_Api_RunnerMethodType] = [.unaryUnary, .unaryUnary, .unaryStreaming, .streamingStreaming, .streamingStreaming, .unknown, .streamingUnary, .UNRECOGNIZED(7)]
        return types.randomElement(using: &random)!
    }

    private mutating func request(closedPort: Int) -> Clarifai_Api_PostModelOutputsRequest {
        let count = chance(5) ? Int.random(in: 20...200, using: &random) : Int.random(in: 0...4, using: &random)
        var request = RunnerItemCorpus.request((0..<count).map { _ in input(closedPort: closedPort) })
        if chance(20) { request.model.outputInfo.params = RunnerItemCorpus.nested(Int.random(in: 0...5, using: &random)) }
        return request
    }

    /// The next random item, scripted with its follow-ups.
    mutating func next(closedPort: Int) -> ScriptedItem {
        serial += 1
        let id = chance(5) ? "" : "fuzz-\(serial)-\(UInt32.random(in: 0...UInt32.max, using: &random))"
        let type = methodType()
        var item = RunnerItemCorpus.item(id, type, chance(95) ? request(closedPort: closedPort) : nil)
        if chance(5) { item.processingInfo.status.code = [.runnerItemCancelled, .runnerStreamEnd, .failure].randomElement(using: &random)! }
        var messages = [RunnerItemCorpus.response([item])]
        if type == .streamingStreaming {
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let followID = chance(10) ? "stranger" : id
                messages.append(RunnerItemCorpus.response([RunnerItemCorpus.item(followID, type, request(closedPort: closedPort))]))
            }
            if chance(50) {
                messages.append(RunnerItemCorpus.endOfInput)
            } else {
                var end = RunnerItemCorpus.item(id, type, nil)
                end.processingInfo.status.code = .runnerStreamEnd
                messages.append(RunnerItemCorpus.response([end]))
            }
        }
        return ScriptedItem(name: "fuzz #\(serial) \(type)", id: id, mode: type, messages: messages, deadline: .seconds(15))
    }
}

import Foundation
