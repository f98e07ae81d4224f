import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2
import LocalAPI
import ServiceLifecycle
import Testing

/// The server as a swift-service-lifecycle service.
@Suite struct LifecycleTests {
    @Test func gracefulShutdownAnswersIdleStreamsAndReturns() async throws {
        let server = LocalAPIServer(configuration: LocalAPIConfiguration(pats: [Fixtures.pat]), logger: TestServer.logger)
        let services = ServiceGroup(services: [server], logger: TestServer.logger)
        try await withTimeLimit(.seconds(15)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await services.run() }
                let port = try await server.listeningPort()
                try await withGRPCClient(
                    transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
                ) { grpcClient in
                    let client = Clarifai_Api_V2.Client(wrapping: grpcClient)
                    try await FakeRunner.stream(client) { stream in
                        // Let the handshake land, then stop the server: the idle stream must not hold it up.
                        try await Task.sleep(for: .milliseconds(300))
                        await services.triggerGracefulShutdown()
                        let message = try await stream.next()
                        #expect(message?.status.code == .runnerNeedsRetry)
                        #expect(try await stream.next() == nil)
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
