#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import RunnerOps

@Suite struct HealthServerTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A probe answer the test can flip while the server runs.
    final class Flag: Sendable {
        private let value: Mutex<Bool>
        init(_ value: Bool) { self.value = Mutex(value) }
        var isSet: Bool { self.value.withLock { $0 } }
        func set(_ newValue: Bool) { self.value.withLock { $0 = newValue } }
    }

    /// Runs a real server on an ephemeral loopback port for the duration of `body`.
    private static func withServer(
        probes: HealthProbes,
        metrics: @escaping @Sendable () -> String = { "" },
        _ body: (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = HealthServer(
            port: 0, probes: probes, metrics: metrics, logger: self.logger,
            onListening: { address in
                if let port = address.port { continuation.yield(port) }
                continuation.finish()
            }
        )
        let group = ServiceGroup(configuration: .init(services: [server], logger: self.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // A failed bind must not leave the test waiting for a port forever.
                defer { continuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func answersEachPathOverHTTP() async throws {
        let ready = Flag(false)
        let probes = HealthProbes(readiness: { ready.isSet }, startup: { true })
        try await Self.withServer(probes: probes, metrics: { "runner_items_total 3\n" }) { port in
            let liveness = try RawHTTPClient.request("/healthz/liveness", port: port)
            #expect(liveness.statusCode == 200)
            #expect(liveness.body == "ok\n")
            #expect(try RawHTTPClient.request("/healthz/startup", port: port).statusCode == 200)

            let notReady = try RawHTTPClient.request("/healthz/readiness", port: port)
            #expect(notReady.statusCode == 503)
            #expect(notReady.body == "not ready\n")
            ready.set(true)
            #expect(try RawHTTPClient.request("/healthz/readiness", port: port).statusCode == 200)

            let metrics = try RawHTTPClient.request("/metrics", port: port)
            #expect(metrics.statusCode == 200)
            #expect(metrics.body == "runner_items_total 3\n")
            #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    @Test func rejectsOtherPathsAndMethods() async throws {
        try await Self.withServer(probes: HealthProbes(readiness: { true }, startup: { true })) { port in
            #expect(try RawHTTPClient.request("/", port: port).statusCode == 404)
            let post = try RawHTTPClient.request("/healthz/liveness", method: "POST", port: port)
            #expect(post.statusCode == 405)
            #expect(post.headers["allow"] == "GET, HEAD")
            let head = try RawHTTPClient.request("/healthz/liveness", method: "HEAD", port: port)
            #expect(head.statusCode == 200)
            #expect(head.body.isEmpty)
        }
    }

    @Test func reportsAPortInUseClearly() async throws {
        try await Self.withServer(probes: HealthProbes(readiness: { true }, startup: { true })) { port in
            let second = HealthServer(
                port: port, probes: HealthProbes(readiness: { true }, startup: { true }), logger: Self.logger)
            let error = await #expect(throws: HealthServerError.addressInUse(host: "127.0.0.1", port: port)) {
                try await second.run()
            }
            #expect(error?.description.contains("127.0.0.1:\(port)") == true)
            #expect(error?.description.contains("already in use") == true)
        }
    }

    @Test func stopsListeningOnGracefulShutdown() async throws {
        var boundPort = 0
        try await Self.withServer(probes: HealthProbes(readiness: { true }, startup: { true })) { port in
            boundPort = port
        }
        #expect(throws: RawHTTPClient.ClientError.self) {
            try RawHTTPClient.request("/healthz/liveness", port: boundPort)
        }
    }
}
