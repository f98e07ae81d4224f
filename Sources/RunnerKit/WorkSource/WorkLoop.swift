import Logging
import Synchronization

/// Keeps one stream (or poll) waiting for work at all times, within the in-flight cap.
///
/// Each stream runs as its own task: when it receives an item, the loop opens the next stream at
/// once while the item is served, so a busy runner still has a stream ready — until the permits run
/// out, at which point the loop stops asking for work.
struct WorkLoop: Sendable {
    let context: EngineContext
    let index: Int
    /// Opens one stream or poll; resolves the signal once it knows how it started, and calls the
    /// release closure as soon as its work is done (the call itself may take longer to close).
    let open: @Sendable (StreamStartSignal, @escaping @Sendable () -> Void) async -> Void

    func run() async {
        var delays = context.configuration.backoff.delays()
        await withDiscardingTaskGroup { streams in
            while !context.drain.isDraining, !Task.isCancelled {
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
                let permit = OnePermit(context.permits)
                streams.addTask {
                    await open(signal, permit.release)
                    signal.resolve(.retryNow)
                    permit.release()
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
                case .failed where Task.isCancelled:
                    break
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

/// A permit that is returned exactly once, by whichever comes first: the end of the work or the
/// end of the call.
private final class OnePermit: Sendable {
    private let semaphore: AsyncSemaphore
    private let held = Mutex(true)

    init(_ semaphore: AsyncSemaphore) { self.semaphore = semaphore }

    @Sendable func release() {
        let wasHeld = held.withLock { held in
            defer { held = false }
            return held
        }
        if wasHeld { semaphore.release() }
    }
}
