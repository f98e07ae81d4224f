/// Everything one benchmark run measured; printed as a table and as one JSON line.
struct BenchReport: Sendable, Codable {
    /// The figures of one path (the echo ceiling, or a runner behind the local API).
    struct PathResult: Sendable, Codable {
        var unary: [LoadResult] = []
        var stream: [LoadResult] = []
        var generate: GenerateResult?
    }

    /// A target from issue 7 and whether this run met it.
    struct Target: Sendable, Codable {
        var name: String
        var value: Double
        var goal: String
        var met: Bool
    }

    var machine: Machine
    var command: String
    /// Measured seconds per load, after the warm-up.
    var durationSeconds: Double
    var ceiling = PathResult()
    var swiftRunner = PathResult()
    var pluginRunner: PathResult?
    var oursProcess: ProcessLoadResult?
    var officialProcess: ProcessLoadResult?
    var resources: ResourceResult?
    /// Embeddings per second of the `runners/minilm-embed` plugin through the whole path.
    var minilm: [MiniLMBench.Row]?
    var ratios: [String: Double] = [:]
    var targets: [Target] = []
    /// Parts that did not run, and why.
    var skipped: [String: String] = [:]
}

extension Array where Element == LoadResult {
    /// The result for `callers` concurrent callers.
    func at(_ callers: Int) -> LoadResult? { first { $0.callers == callers } }
}
