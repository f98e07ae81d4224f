import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// Serves the health probes and Prometheus metrics over HTTP/1.1.
///
/// Paths: `GET /healthz/liveness`, `/healthz/readiness`, `/healthz/startup` (200 `ok` or
/// 503 `not ready`) and `/metrics`. Unknown paths get 404 and other methods 405. It listens on
/// loopback by default because the metrics describe the workload and the port needs no
/// exposure for a node-local probe or scraper.
///
/// As a `Service` it binds in `run()`, so a port conflict fails the service group at start-up
/// with ``HealthServerError/addressInUse(host:port:)`` rather than later.
public struct HealthServer: Service {
    /// The host to bind, such as `127.0.0.1`, `::1` or `0.0.0.0`.
    public let host: String
    /// The port to bind; `0` picks a free one (see `onListening`).
    public let port: Int

    private let router: HealthRouter
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onListening: @Sendable (SocketAddress) async -> Void

    /// Creates the server; nothing is bound until ``run()``.
    ///
    /// - Parameters:
    ///   - host: Address to listen on; loopback unless the operator asks otherwise.
    ///   - port: Port to listen on.
    ///   - probes: The probe answers.
    ///   - metrics: Renders the Prometheus text for `/metrics`; called on an event loop.
    ///   - eventLoopGroup: Shared with the rest of the process by default.
    ///   - logger: Receives one line when listening and one when stopped.
    ///   - onListening: Called with the bound address, which tells callers the port chosen for `0`.
    public init(
        host: String = "127.0.0.1",
        port: Int,
        probes: HealthProbes,
        metrics: @escaping @Sendable () -> String = { "" },
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        onListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.router = HealthRouter(probes: probes, metrics: metrics)
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let channel = try await self.bind()
        let address = channel.localAddress
        self.logger.info("health server listening", metadata: ["address": "\(address.map { "\($0)" } ?? "?")"])
        if let address { await self.onListening(address) }

        // Closing the listening socket is the whole shutdown: responses close their connections.
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
        self.logger.info("health server stopped")
    }

    private func bind() async throws(HealthServerError) -> any Channel {
        let router = self.router
        let bootstrap = ServerBootstrap(group: self.eventLoopGroup)
            // Lets a restarted runner rebind while old connections sit in TIME_WAIT; Linux still
            // refuses the bind when another process is listening, so conflicts are still reported.
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(IdleStateHandler(readTimeout: .seconds(10)))
                    try operations.configureHTTPServerPipeline(withErrorHandling: true)
                    try operations.addHandler(HealthHTTPHandler(router: router))
                }
            }
        do {
            return try await bootstrap.bind(host: self.host, port: self.port).get()
        } catch {
            throw HealthServerError(bindError: error, host: self.host, port: self.port)
        }
    }
}
