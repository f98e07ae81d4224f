import Logging

/// Keeps one stream (or poll) waiting for work at all times, within the in-flight cap.
///
/// Each stream runs as its own task: when it receives an item, the loop opens the next stream at
/// once while the item is served, so a busy runner still has a stream ready — until the permits run
/// out, at which point the loop stops asking for work.
struct WorkLoop: Sendable {
    let context: EngineContext
    let index: Int
    /// Opens one stream or poll; resolves the signal once it knows how it started.
    let open: @Sendable (StreamStartSignal) async -> Void

    func run() async {
        var delays = context.configuration.backoff.delays()
        await withDiscardingTaskGroup { streams in
            while !context.drain.isDraining {
                do {
                    try await context.permits.acquire()
                } catch {
                    break
                }
                if context.drain.isDraining {
                    context.permits.release()
                    break
                }
                let signal = StreamStartSignal()
                streams.addTask {
                    await open(signal)
                    signal.resolve(.retryNow)
                    context.permits.release()
                }
                let start = await signal.wait()
                context.logger.trace("work stream outcome", metadata: ["loop": "\(index)", "outcome": "\(start)"])
                switch start {
                case .gotWork, .retryNow:
                    delays.reset()
                    context.outage.recovered()
                case .drained:
                    break
                case .refused(let status):
                    context.metrics.reconnects.increment()
                    context.state.streamFailed()
                    context.outage.failed("API answered \(status.code) (\(status.code.rawValue)): \(status.description_p)")
                    await context.drain.sleep(for: delays.next()!)
                case .failed(let error):
                    context.metrics.reconnects.increment()
                    context.state.streamFailed()
                    context.outage.failed(ErrorDescription.sanitize(String(describing: error)))
                    await context.drain.sleep(for: delays.next()!)
                }
            }
        }
    }
}
