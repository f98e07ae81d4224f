import ClarifaiAPI
import RunnerKit
import Testing

/// The three modes through the local API and a real runner over gRPC, on both work sources.
@Suite("Modes end to end")
struct EndToEndModeTests {
    static let sources: [RunnerConfiguration.WorkSourceKind] = [.stream, .poll]

    @Test("predict upper-cases each input", arguments: sources)
    func predict(source: RunnerConfiguration.WorkSourceKind) async throws {
        try await TestPeer.withRunner(handler: UppercaseHandler(), source: source) { caller, _ in
            let response = try await caller.predict(["hello", "runner world"])
            #expect(response.status.code == .success)
            #expect(response.texts == ["HELLO", "RUNNER WORLD"])
            #expect(response.outputs.map(\.status.code) == [.success, .success])
            #expect(response.outputs.map(\.input.id) == ["input-0", "input-1"])
        }
    }

    @Test("generate streams one word per output, in order", arguments: sources)
    func generate(source: RunnerConfiguration.WorkSourceKind) async throws {
        try await TestPeer.withRunner(handler: UppercaseHandler(), source: source) { caller, _ in
            let responses = try await caller.generate("one two three four")
            #expect(responses.flatMap(\.texts) == ["ONE", "TWO", "THREE", "FOUR"])
            #expect(responses.allSatisfy { $0.status.code == .success })
        }
    }

    @Test("stream answers each message in order", arguments: sources)
    func stream(source: RunnerConfiguration.WorkSourceKind) async throws {
        try await TestPeer.withRunner(handler: UppercaseHandler(), source: source) { caller, _ in
            let responses = try await caller.stream(["a", "bb", "ccc"])
            #expect(responses.flatMap(\.texts) == ["A", "BB", "CCC"])
        }
    }

    @Test("a failing input fails alone: MIXED_STATUS", arguments: sources)
    func mixedStatus(source: RunnerConfiguration.WorkSourceKind) async throws {
        try await TestPeer.withRunner(handler: PartlyFailingHandler(), source: source) { caller, _ in
            let response = try await caller.predict(["ok", "fail", "fine"])
            #expect(response.status.code == .mixedStatus)
            #expect(response.outputs.map(\.status.code) == [.success, .failure, .success])
            #expect(response.outputs[1].status.description_p == "asked to fail")
            #expect(response.outputs[0].data.text.raw == "OK")

            let allFailed = try await caller.predict(["fail"])
            #expect(allFailed.status.code == .failure)
            // The runner keeps serving after failures.
            let after = try await caller.predict(["again"])
            #expect(after.status.code == .success)
        }
    }

    @Test("a mode the handler lacks gets a clear FAILURE")
    func unsupportedMode() async throws {
        try await TestPeer.withRunner(handler: PredictOnlyHandler()) { caller, _ in
            let responses = try await caller.generate("x y")
            let last = try #require(responses.last)
            #expect(last.status.code == .failure)
            #expect(last.status.description_p.contains("does not support generate"))
            let streamed = try await caller.stream(["x"])
            #expect(streamed.last?.status.code == .runnerProcessingFailed)
            #expect(streamed.last?.status.description_p.contains("does not support stream") == true)
        }
    }

    @Test("a request with no inputs gets a defined failure")
    func emptyRequest() async throws {
        try await TestPeer.withRunner(handler: UppercaseHandler()) { caller, _ in
            let response = try await caller.predict([])
            #expect(response.status.code == .failure)
            #expect(response.status.description_p.contains("no inputs"))
        }
    }
}
