import ClarifaiAPI
import RunnerKit
import SwiftProtobuf
import Testing

@testable import CModelBackend

/// The three example plugins, built with their own Makefiles, driven through `CModelHandler`.
@Suite(.enabled(if: PluginBuilds.toolsAvailable, "cc and make are needed to build the example plugins"))
struct ExamplePluginTests {
    // MARK: unary: c-classifier

    @Test func classifierScoresSentimentAsConcepts() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("c-classifier"), logger: quietLogger)
        #expect(handler.pluginName == "c-classifier")
        #expect(handler.supportedModes == [.predict])
        // One thread-safe instance with "unlimited" calls: capped by the host's threads per instance.
        #expect(handler.instanceCount == 1)
        #expect(handler.unaryBatching == .perInput(maxConcurrency: CPluginLimits().maxThreadsPerInstance))

        let happy = try await handler.runInput(textInput("I love this, it is great!"), context: context(.predict))
        #expect(happy.status.code == .success)
        #expect(happy.data.concepts.map(\.name) == ["positive", "negative"])
        #expect(happy.data.concepts[0].value == 0.75)

        let sad = try await handler.runInput(textInput("Terrible, awful service"), context: context(.predict))
        #expect(sad.data.concepts.first?.id == "negative")
        #expect(sad.data.concepts.first?.value == 0.75)

        await #expect(throws: ModelHandlerError.invalidInput("libc-classifier.so: predict: c-classifier needs a text input")) {
            try await handler.runInput(Clarifai_Api_Input(), context: context(.predict))
        }
        await #expect(throws: ModelHandlerError.unsupportedMode(.generate)) {
            try await handler.generate(textInput("hi"), context: context(.generate), output: OutputCollector().writer)
        }
        await handler.unload()
    }

    @Test func classifierReadsItsConfig() async throws {
        let handler = try await CModelHandler.load(
            path: PluginBuilds.path("c-classifier"), config: ["positive_words": "splendid,neat"], logger: quietLogger)
        let output = try await handler.runInput(textInput("a splendid, neat day"), context: context(.predict))
        #expect(output.data.concepts.first?.name == "positive")
        #expect(output.data.concepts.first?.value == 0.75)
        await handler.unload()
    }

    // MARK: generate: c-generator

    @Test func generatorStreamsOneOutputPerToken() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("c-generator"), logger: quietLogger)
        #expect(handler.supportedModes == [.generate])
        #expect(handler.instanceCount == 2)
        #expect(handler.callsPerInstance == 1)

        let words = OutputCollector()
        try await handler.generate(textInput("the quick  brown fox"), context: context(.generate), output: words.writer)
        #expect(words.texts == ["the", "quick", "brown", "fox"])
        #expect(words.outputs.allSatisfy { $0.status.code == .success })

        let counted = OutputCollector()
        try await handler.generate(
            textInput(""), context: context(.generate, params: ["count": .init(numberValue: 5)]), output: counted.writer)
        #expect(counted.texts == ["1", "2", "3", "4", "5"])
        await handler.unload()
    }

    @Test func generatorStopsWhenTheItemIsCancelled() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("c-generator"), logger: quietLogger)
        let flag = CancellationFlag()
        let collector = OutputCollector { count in if count == 3 { flag.cancel() } }
        let params: [String: Google_Protobuf_Value] = ["count": .init(numberValue: 100_000), "token_delay_ms": .init(numberValue: 1)]
        let started = ContinuousClock.now
        await #expect(throws: CancellationError.self) {
            try await handler.generate(
                textInput(""), context: context(.generate, params: params, cancellation: flag), output: collector.writer)
        }
        // The plugin polls the flag per token; a few more tokens may already be buffered.
        #expect(collector.outputs.count < 3 + CPluginLimits().outputBufferCapacity + 2)
        #expect(ContinuousClock.now - started < .seconds(10))
        // The instance is free again afterwards.
        let after = OutputCollector()
        try await handler.generate(textInput("still here"), context: context(.generate), output: after.writer)
        #expect(after.texts == ["still", "here"])
        await handler.unload()
    }

    @Test func generatorStopsWhenTheTaskIsCancelled() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("c-generator"), logger: quietLogger)
        let collector = OutputCollector()
        let params: [String: Google_Protobuf_Value] = ["count": .init(numberValue: 100_000), "token_delay_ms": .init(numberValue: 1)]
        let task = Task {
            try await handler.generate(textInput(""), context: context(.generate, params: params), output: collector.writer)
        }
        while collector.outputs.count < 2 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(collector.outputs.count < 1000)
        await handler.unload()
    }

    @Test func generatorStopsWhenTheCallerIsGone() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("c-generator"), logger: quietLogger)
        let collector = OutputCollector { count in if count == 2 { throw WriterGone() } }
        await #expect(throws: WriterGone.self) {
            try await handler.generate(
                textInput(""), context: context(.generate, params: ["count": .init(numberValue: 1_000_000)]),
                output: collector.writer)
        }
        #expect(collector.outputs.count == 2)
        await handler.unload()
    }

    // MARK: stream: c-stream-stats

    @Test func streamStatsKeepsRunningStatistics() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("c-stream-stats"), logger: quietLogger)
        #expect(handler.supportedModes == [.stream])
        let collector = OutputCollector()
        try await handler.stream(inputStream(["1", "2 3", "", "4"]), context: context(.stream), output: collector.writer)
        #expect(collector.texts == [
            "count=1 mean=1 min=1 max=1 stddev=0",
            "count=3 mean=2 min=1 max=3 stddev=0.816497",
            "count=4 mean=2.5 min=1 max=4 stddev=1.11803",
            "final count=4 mean=2.5 min=1 max=4 stddev=1.11803",
        ])
        let vector = try #require(collector.outputs.last?.data.embeddings.first?.vector)
        #expect(vector.count == 5)
        #expect(Array(vector[0..<4]) == [4, 2.5, 1, 4])
        #expect(abs(vector[4] - 1.118034) < 1e-5)
        await handler.unload()
    }

    @Test func streamStatsRejectsANonNumberAndKeepsServing() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("c-stream-stats"), logger: quietLogger)
        let collector = OutputCollector()
        await #expect(throws: ModelHandlerError.invalidInput(#"libc-stream-stats.so: stream: c-stream-stats: not a number: "abc""#)) {
            try await handler.stream(inputStream(["5", "abc", "6"]), context: context(.stream), output: collector.writer)
        }
        // The output of "5", then the summary stream_close still emits; "6" is never pushed.
        #expect(collector.texts.first == "count=1 mean=5 min=5 max=5 stddev=0")
        #expect(collector.texts.last == "final count=1 mean=5 min=5 max=5 stddev=0")

        let again = OutputCollector()
        try await handler.stream(inputStream(["10"]), context: context(.stream), output: again.writer)
        #expect(again.texts == ["count=1 mean=10 min=10 max=10 stddev=0", "final count=1 mean=10 min=10 max=10 stddev=0"])
        await handler.unload()
    }

    @Test func callsAfterUnloadFailClearly() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("c-classifier"), logger: quietLogger)
        await handler.unload()
        await handler.unload()  // harmless
        await #expect(throws: ModelHandlerError.failed("libc-classifier.so: the plugin is unloaded")) {
            try await handler.runInput(textInput("good"), context: context(.predict))
        }
    }
}
