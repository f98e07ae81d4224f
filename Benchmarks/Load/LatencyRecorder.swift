import Synchronization

/// Collects call latencies from many concurrent callers, counting only calls that finish inside
/// the measurement window, so warm-up and the tail of the run do not distort the figures.
final class LatencyRecorder: Sendable {
    /// When recording starts and stops.
    let window: MeasurementWindow
    private let samples = Mutex<[Int64]>([])
    private let failures = Atomic<Int>(0)
    /// Every completed call, warm-up included, to divide the CPU time of the whole load by.
    private let completions = Atomic<Int>(0)

    init(window: MeasurementWindow) {
        self.window = window
        samples.withLock { $0.reserveCapacity(1 << 16) }
    }

    /// Records one call that started at `start` and has just finished.
    func record(since start: ContinuousClock.Instant) {
        let end = ContinuousClock.now
        completions.add(1, ordering: .relaxed)
        guard window.contains(end) else { return }
        let nanoseconds = (end - start).nanoseconds
        samples.withLock { $0.append(nanoseconds) }
    }

    /// Records one failed call; failures are reported, not timed.
    func fail() {
        failures.add(1, ordering: .relaxed)
    }

    /// The figures for everything recorded.
    func result(callers: Int, cpuMilliseconds: Double?) -> LoadResult {
        let completed = completions.load(ordering: .relaxed)
        return LoadResult(
            callers: callers, latencies: samples.withLock { $0 }, seconds: window.measured.seconds,
            errors: failures.load(ordering: .relaxed),
            cpuMsPerCall: cpuMilliseconds.flatMap { completed > 0 ? $0 / Double(completed) : nil }
        )
    }
}

/// A warm-up followed by a measured stretch, both starting from one instant shared by all callers.
struct MeasurementWindow: Sendable {
    let start: ContinuousClock.Instant
    let end: ContinuousClock.Instant

    init(warmup: Duration, measured: Duration, from now: ContinuousClock.Instant = .now) {
        start = now + warmup
        end = start + measured
    }

    var measured: Duration { end - start }

    func contains(_ instant: ContinuousClock.Instant) -> Bool { instant >= start && instant < end }

    /// Whether a caller should stop issuing calls.
    var isOver: Bool { ContinuousClock.now >= end }
}

extension Duration {
    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Seconds as a floating-point number.
    var seconds: Double { Double(nanoseconds) / 1e9 }
}
