import Metrics

/// The engine's metrics, through swift-metrics; the daemon decides where they go (Prometheus).
struct RunnerMetrics: Sendable {
    let inFlight = Meter(label: "clarifai_runner_items_in_flight")
    let reconnects = Counter(label: "clarifai_runner_reconnects_total")
    let handlerErrors = Counter(label: "clarifai_runner_handler_errors_total")
    let streamsWaiting = Meter(label: "clarifai_runner_streams_waiting")

    func itemFinished(mode: InferenceMode, status: String, duration: Duration) {
        Counter(label: "clarifai_runner_items_total", dimensions: [("mode", mode.rawValue), ("status", status)]).increment()
        Timer(label: "clarifai_runner_item_duration_seconds", dimensions: [("mode", mode.rawValue)])
            .recordNanoseconds(Int64(duration.seconds * 1e9))
    }

    /// Time from an item's arrival to the start of its work on a model thread: how long items
    /// queue behind busy model threads, the figure to watch when sizing `--model-threads`.
    func itemStarted(mode: InferenceMode, waited: Duration) {
        Timer(label: "clarifai_runner_queue_wait_seconds", dimensions: [("mode", mode.rawValue)])
            .recordNanoseconds(Int64(waited.seconds * 1e9))
    }

    func itemRejected(reason: String) {
        Counter(label: "clarifai_runner_items_total", dimensions: [("mode", "unknown"), ("status", reason)]).increment()
    }
}
