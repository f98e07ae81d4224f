/// Throughput and latency of one closed-loop load: `callers` callers each issuing calls back to back.
struct LoadResult: Sendable, Codable {
    /// How many callers ran at once.
    var callers: Int
    /// Calls that finished inside the measurement window.
    var calls: Int
    /// Completed calls per second over the window.
    var perSecond: Double
    /// Median latency, in milliseconds.
    var p50Ms: Double
    /// 99th percentile latency, in milliseconds.
    var p99Ms: Double
    /// Calls that failed; a non-zero count makes the figures suspect.
    var errors: Int
    /// CPU time per completed call, in milliseconds: of this process (callers, API and an
    /// in-process runner or echo server together), or of the runner process alone for spawned runners.
    var cpuMsPerCall: Double?

    init(callers: Int, latencies: [Int64], seconds: Double, errors: Int, cpuMsPerCall: Double?) {
        let sorted = latencies.sorted()
        self.callers = callers
        self.calls = sorted.count
        self.perSecond = seconds > 0 ? Double(sorted.count) / seconds : 0
        self.p50Ms = Self.percentile(sorted, 0.50)
        self.p99Ms = Self.percentile(sorted, 0.99)
        self.errors = errors
        self.cpuMsPerCall = cpuMsPerCall
    }

    /// The nearest-rank percentile of sorted nanosecond samples, in milliseconds.
    static func percentile(_ sorted: [Int64], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1e6
    }
}

/// Outputs per second and time to first output of unary-stream calls that each produce many outputs.
struct GenerateResult: Sendable, Codable {
    /// Outputs each call produced (the same for every repetition, or the run is reported as failed).
    var outputsPerCall: Int
    /// Calls measured.
    var calls: Int
    /// Median over calls of outputs divided by the call's whole duration.
    var outputsPerSecond: Double
    /// Median time from starting the call to receiving the first output, in milliseconds.
    var firstOutputMs: Double
    /// Calls that failed or came back short.
    var errors: Int
}
