/// Runs `callers` concurrent callers, each calling back to back until the window closes.
///
/// Closed-loop (each caller waits for its answer before the next call) is how the issue frames
/// "N concurrent callers", and it keeps the load bounded: at most `callers` calls are ever in flight.
enum ClosedLoopLoad {
    static func run(
        callers: Int,
        warmup: Duration,
        duration: Duration,
        cpuClock: @Sendable () -> Double? = { CPUClock.selfMilliseconds() },
        call: @escaping @Sendable () async throws -> Void
    ) async -> LoadResult {
        let cpuBefore = cpuClock()
        let recorder = LatencyRecorder(window: MeasurementWindow(warmup: warmup, measured: duration))
        await withDiscardingTaskGroup { group in
            for _ in 0..<callers {
                group.addTask {
                    while !recorder.window.isOver {
                        let start = ContinuousClock.now
                        do {
                            try await call()
                            recorder.record(since: start)
                        } catch {
                            recorder.fail()
                            // A failing path must not turn into a hot loop that starves the others.
                            try? await Task.sleep(for: .milliseconds(10))
                        }
                    }
                }
            }
        }
        let cpuAfter = cpuClock()
        return recorder.result(callers: callers, cpuMilliseconds: cpuBefore.flatMap { before in cpuAfter.map { $0 - before } })
    }
}
