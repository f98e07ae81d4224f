import ClarifaiAPI
import RunnerKit
import Testing

@testable import CModelBackend

/// The host honours a plugin's threading contract under load.
@Suite(.enabled(if: PluginBuilds.toolsAvailable, "cc is needed to build the concurrency fixture"))
struct InstanceConcurrencyTests {
    /// `one_call_per_instance` declares two instances of one call each and fails any call that finds
    /// another call inside its instance (atomic counter). Many more concurrent calls than that must
    /// all succeed, use both instances, and never exceed two calls inside the plugin.
    @Test func neverEntersAnInstanceTwice() async throws {
        let handler = try await CModelHandler.load(path: PluginBuilds.path("one_call_per_instance"), logger: quietLogger)
        #expect(handler.instanceCount == 2)
        #expect(handler.callsPerInstance == 1)
        #expect(handler.unaryBatching == .perInput(maxConcurrency: 2))

        let texts = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await handler.runInput(textInput("call \(index)"), context: context(.predict)).data.text.raw
                }
            }
            var texts: [String] = []
            for try await text in group { texts.append(text) }
            return texts
        }
        #expect(texts.count == 200)
        #expect(texts.allSatisfy { $0.hasSuffix("overlaps=0") })
        #expect(texts.contains { $0.hasPrefix("instance=0 ") })
        #expect(texts.contains { $0.hasPrefix("instance=1 ") })
        let peaks = texts.compactMap { text in
            text.split(separator: " ").first { $0.hasPrefix("peak=") }.flatMap { Int($0.dropFirst(5)) }
        }
        #expect(peaks.max() ?? 0 <= 2)
        await handler.unload()
    }
}
