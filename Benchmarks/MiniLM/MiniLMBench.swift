import CModelBackend
import Foundation
import Logging

/// The MiniLM part: the `runners/minilm-embed` plugin behind the in-process local API and
/// runner, so each embedding takes the whole path (caller → LocalAPI → runner → plugin).
enum MiniLMBench {
    /// One row: a text length at one instance count, with as many callers as instances.
    struct Row: Sendable, Codable {
        /// `max_instances` given to the plugin.
        var instances: Int
        /// `short` or `128-token`.
        var texts: String
        /// Tokens per text, `[CLS]` and `[SEP]` included (an average for the short sentences).
        var tokens: Double
        /// The load; one input per request, so calls per second are embeddings per second.
        var load: LoadResult
    }

    /// Builds and loads the plugin once per instance count (1, then 2) and measures both
    /// text lengths with as many closed-loop callers as instances.
    static func run(modelDirectory: String, plan: BenchPlan) async throws -> [Row] {
        let library = try MiniLMPlugin.build()
        let shortTexts = RequestRotation(texts: MiniLMWorkload.shortTexts)
        let longText = RequestRotation(texts: [MiniLMWorkload.longText])
        var rows: [Row] = []
        for instances in [1, 2] {
            RunWatchdog.entering("runner in this process, minilm-embed plugin, \(instances) instance(s)")
            let handler = try await CModelHandler.load(
                path: library, config: ["model_dir": modelDirectory, "max_instances": "\(instances)"],
                modelDirectory: modelDirectory, logger: plan.logger
            )
            do {
                let loads = try await InProcessRunner.with(handler: handler, logger: plan.logger) { caller in
                    var loads: [Row] = []
                    for (name, tokens, rotation) in [("short", 10.25, shortTexts), ("128-token", 128.0, longText)] {
                        let load = await caller.embedLoad(
                            callers: instances, rotation: rotation, dimensions: MiniLMWorkload.dimensions,
                            warmup: plan.warmup, duration: plan.measured
                        )
                        loads.append(Row(instances: instances, texts: name, tokens: tokens, load: load))
                    }
                    return loads
                }
                rows += loads
            } catch {
                await handler.unload()
                throw error
            }
            await handler.unload()
        }
        return rows
    }
}
