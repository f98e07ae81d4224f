import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// The runner: connects to the API, keeps work streams waiting, serves items with a
/// ``ModelHandler`` and drains on graceful shutdown.
///
/// Run it in a `ServiceGroup`, or call ``run()`` directly:
/// ```swift
/// let engine = RunnerEngine(configuration: config, handler: UppercaseHandler(), logger: logger)
/// let group = ServiceGroup(services: [engine], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public final class RunnerEngine: Service, Sendable {
    /// The configuration the engine was created with.
    public let configuration: RunnerConfiguration
    /// Health, for probes and the systemd notifier.
    public let state = RunnerState()
    private let handler: any ModelHandler
    private let logger: Logger

    /// Creates an engine; nothing connects until ``run()``.
    public init(configuration: RunnerConfiguration, handler: any ModelHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        var logger = logger
        logger[metadataKey: "runner_id"] = "\(configuration.identity.runnerID)"
        self.logger = logger
    }

    /// Serves until graceful shutdown, then drains: no new work, in-flight items finish (up to the
    /// drain timeout) and are answered, streams close. Task cancellation stops at once.
    public func run() async throws {
        let transport = try HTTP2ClientTransport.Posix.make(for: configuration.endpoint)
        let client = GRPCClient(transport: transport)
        let executor = ModelExecutor(threads: configuration.effectiveModelThreads)
        defer { executor.shutdown() }
        let context = makeContext(client: client, executor: executor)
        logger.info(
            "runner starting",
            metadata: [
                "api": "\(configuration.endpoint)", "work_source": "\(configuration.workSource.rawValue)",
                "parallel_polls": "\(configuration.parallelPolls)", "max_in_flight": "\(configuration.effectiveMaxInFlight)",
            ]
        )
        // Not a child task: a transport cancelled before its first connection leaves the RPCs
        // already handed to it waiting forever (a hang when start-up failed at once). Cancellation
        // ends the RPCs instead; once `serve` has returned, the connections are shut down.
        let connections = Task { try await client.runConnections() }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                defer { self.logger.debug("connections closed") }
                do {
                    try await connections.value
                } catch let error as RuntimeError where error.code == .clientIsStopped {
                    // `serve` ended before the client ever started: there was nothing to close.
                }
            }
            await withGracefulShutdownHandler {
                await serve(context)
            } onGracefulShutdown: {
                self.beginDrain(context)
            }
            client.beginGracefulShutdown()
            // Cancelled (a second signal): no RPC is left, so do not wait on a connection attempt.
            if Task.isCancelled { connections.cancel() }
        }
        state.stopped()
        logger.info("runner stopped")
    }

    private func serve(_ context: EngineContext) async {
        let sessions = PollSessions()
        await withDiscardingTaskGroup { group in
            // Past the drain deadline, in-flight items are cancelled and answered as failures.
            group.addTask {
                await context.drain.wait()
                guard (try? await Task.sleep(for: self.configuration.drainTimeout)) != nil else { return }
                self.logger.warning("drain timeout reached; cancelling items in flight", metadata: ["items": "\(context.registry.count)"])
                context.registry.cancelAll()
            }
            await withDiscardingTaskGroup { work in
                if configuration.workSource == .stream {
                    work.addTask {
                        await ControlStream(context: context).run()
                        self.logger.debug("control stream ended")
                    }
                }
                for index in 0..<max(1, configuration.parallelPolls) {
                    work.addTask {
                        let loop = WorkLoop(context: context, index: index) { signal, release in
                            switch self.configuration.workSource {
                            case .stream: await WorkStream(context: context).run(signal: signal, workDone: release)
                            case .poll: await PollWork(context: context, sessions: sessions).run(signal: signal)
                            }
                        }
                        await loop.run()
                        self.logger.debug("work loop ended", metadata: ["loop": "\(index)"])
                    }
                }
            }
            group.cancelAll()
        }
    }

    private func beginDrain(_ context: EngineContext) {
        logger.info("draining: no new work; finishing items in flight", metadata: ["items": "\(context.registry.count)"])
        state.draining()
        context.drain.begin()
        // Loops blocked on a full runner wake up, see the drain and stop.
        for _ in 0..<configuration.parallelPolls { context.permits.release() }
    }

    private func makeContext(client: GRPCClient<HTTP2ClientTransport.Posix>, executor: ModelExecutor) -> EngineContext {
        let messages = RunnerMessages(identity: configuration.identity)
        let registry = CancellationRegistry()
        let metrics = RunnerMetrics()
        let dispatcher = ItemDispatcher(
            handler: handler, messages: messages, fetcher: InputFetcher(limits: configuration.urlFetch),
            executor: executor, registry: registry, metrics: metrics,
            itemTimeout: configuration.itemTimeout, streamInputTimeout: configuration.streamInputTimeout,
            maxMessageBytes: configuration.maxMessageBytes, logger: logger
        )
        return EngineContext(
            configuration: configuration, api: Clarifai_Api_V2.Client(wrapping: client), dispatcher: dispatcher,
            messages: messages, registry: registry, permits: AsyncSemaphore(permits: configuration.effectiveMaxInFlight),
            drain: DrainSignal(), outage: OutageReporter(logger: logger), state: state, metrics: metrics, logger: logger
        )
    }
}
