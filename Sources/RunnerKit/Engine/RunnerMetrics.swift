import Metrics

/// The engine's metrics, through swift-metrics; the daemon decides where they go (Prometheus).
///
/// Handles are made once, when the engine starts: looking one up in the factory takes a lock and
/// builds its label set, which is work no item should repeat.
struct RunnerMetrics: Sendable {
    let inFlight = Meter(label: "clarifai_runner_items_in_flight")
    let reconnects = Counter(label: "clarifai_runner_reconnects_total")
    let handlerErrors = Counter(label: "clarifai_runner_handler_errors_total")
    let streamsWaiting = Meter(label: "clarifai_runner_streams_waiting")
    private let byMode: [InferenceMode: ModeMetrics]

    /// The status labels the dispatcher reports; any other gets its counter made on first use.
    private static let statuses = ["success", "failure", "mixed", "cancelled"]

    private struct ModeMetrics: Sendable {
        let items: [String: Counter]
        let duration: Timer
        let queueWait: Timer
    }

    init() {
        var byMode: [InferenceMode: ModeMetrics] = [:]
        for mode in InferenceMode.allCases {
            byMode[mode] = ModeMetrics(
                items: Dictionary(uniqueKeysWithValues: Self.statuses.map { ($0, Self.itemCounter(mode.rawValue, $0)) }),
                duration: Timer(label: "clarifai_runner_item_duration_seconds", dimensions: [("mode", mode.rawValue)]),
                queueWait: Timer(label: "clarifai_runner_queue_wait_seconds", dimensions: [("mode", mode.rawValue)])
            )
        }
        self.byMode = byMode
    }

    func itemFinished(mode: InferenceMode, status: String, duration: Duration) {
        let metrics = byMode[mode]!
        (metrics.items[status] ?? Self.itemCounter(mode.rawValue, status)).increment()
        metrics.duration.recordNanoseconds(Int64(duration.seconds * 1e9))
    }

    /// Time from an item passing validation to its handler starting on a model thread: how long
    /// items queue behind busy model threads.
    func itemStarted(mode: InferenceMode, waited: Duration) {
        byMode[mode]!.queueWait.recordNanoseconds(Int64(waited.seconds * 1e9))
    }

    func itemRejected(reason: String) {
        Self.itemCounter("unknown", reason).increment()
    }

    private static func itemCounter(_ mode: String, _ status: String) -> Counter {
        Counter(label: "clarifai_runner_items_total", dimensions: [("mode", mode), ("status", status)])
    }
}
