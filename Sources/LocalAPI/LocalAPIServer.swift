import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// An embedded subset of the Clarifai API (`clarifai.api.V2`) over plaintext gRPC: callers post
/// model requests, runners take them over `ProcessRunnerItems` (or the legacy polling path), and
/// runner records can be managed. It is the development default, the test peer and the demo
/// server of clarifai-runner.
///
/// Run it as a swift-service-lifecycle `Service`: a graceful shutdown stops new work, answers idle
/// runner streams, fails queued requests, and lets requests already on a runner finish.
public final class LocalAPIServer: Service, Sendable {
    private let configuration: LocalAPIConfiguration
    private let logger: Logger
    private let broker: Broker
    private let registry: RunnerRegistry
    private let boundPort = BoundPort()

    /// Creates a server; nothing is bound until ``run()``.
    ///
    /// - Parameters:
    ///   - configuration: address, accepted tokens, timeouts and limits.
    ///   - logger: where the server logs; it never creates a logger of its own.
    public init(configuration: LocalAPIConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.broker = Broker(
            limits: BrokerLimits(
                maxQueued: max(configuration.maxQueuedRequests, 0),
                noRunnerDeadline: configuration.noRunnerDeadline
            ),
            logger: logger
        )
        self.registry = RunnerRegistry(store: configuration.runnerStorePath.map(RunnerStore.init(path:)), logger: logger)
        self.broker.setModelFilters(registry.modelFilters())
    }

    /// Serves until a graceful shutdown or cancellation.
    ///
    /// - Throws: ``LocalAPIError/bindFailed(host:port:reason:)`` if the address cannot be bound.
    public func run() async throws {
        let transport = HTTP2ServerTransport.Posix(
            address: address,
            transportSecurity: .plaintext,
            config: .defaults { config in
                // Runner outputs can be large (the official runner allows up to 128 MiB).
                config.rpc.maxRequestPayloadSize = 128 * 1024 * 1024
                // Runners hold streams open for long stretches and ping to notice dead connections.
                config.connection.keepalive.clientBehavior = .init(
                    minPingIntervalWithoutCalls: .seconds(5),
                    allowWithoutCalls: true
                )
                config.connection.keepalive.time = .seconds(60)
            }
        )
        let service = V2Service(
            broker: broker,
            registry: registry,
            authenticator: PATAuthenticator(pats: configuration.pats),
            configuration: configuration,
            logger: logger
        )
        let server = GRPCServer(transport: transport, services: [service])

        do {
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await self.broker.runDeadlines() }
                    group.addTask {
                        do {
                            let bound = try await transport.listeningAddress
                            let port = bound.ipv4?.port ?? bound.ipv6?.port ?? self.configuration.port
                            self.boundPort.resolve(.success(port))
                            self.logger.info("Local API listening", metadata: ["host": "\(self.configuration.host)", "port": "\(port)"])
                        } catch {
                            // `serve()` reports the same failure; it is mapped there.
                        }
                    }
                    try await server.serve()
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                self.logger.info("Local API shutting down")
                self.broker.shutDown()
                server.beginGracefulShutdown()
            }
        } catch {
            broker.shutDown()
            if !boundPort.isResolved {
                let failure = LocalAPIError.bindFailed(
                    host: configuration.host,
                    port: configuration.port,
                    reason: Self.reason(for: error)
                )
                boundPort.resolve(.failure(failure))
                throw failure
            }
            if Task.isCancelled { return }
            throw error
        }
        broker.shutDown()
        boundPort.resolve(.failure(LocalAPIError.notListening))
    }

    /// The bound port, waiting until the server is bound; useful with port 0.
    ///
    /// - Throws: the bind failure if ``run()`` could not bind.
    public func listeningPort() async throws -> Int {
        try await boundPort.value()
    }

    private var address: SocketAddress {
        configuration.host.contains(":")
            ? .ipv6(host: configuration.host, port: configuration.port)
            : .ipv4(host: configuration.host, port: configuration.port)
    }

    /// A short reason from a transport error, whose full description nests several layers.
    private static func reason(for error: any Error) -> String {
        var current: any Error = error
        while let wrapped = current as? RuntimeError, let cause = wrapped.cause {
            current = cause
        }
        if let rpcError = current as? RPCError, let cause = rpcError.cause {
            current = cause
        }
        return "\(current)"
    }
}
