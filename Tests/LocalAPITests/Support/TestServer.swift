import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2
import LocalAPI
import Logging

/// The generated client over the HTTP/2 transport the tests use.
typealias V2Client = Clarifai_Api_V2.Client<HTTP2ClientTransport.Posix>

/// Starts a real ``LocalAPIServer`` on an ephemeral 127.0.0.1 port with short timeouts, and a client
/// connected to it, for the duration of `body`.
enum TestServer {
    static let logger = Logger(label: "LocalAPITests") { _ in SwiftLogNoOpLogHandler() }

    static func run<Result: Sendable>(
        configure: @Sendable (inout LocalAPIConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (V2Client, Int) async throws -> Result
    ) async throws -> Result {
        var configuration = LocalAPIConfiguration(pats: [Fixtures.pat])
        configuration.idleStreamTimeout = .seconds(3)
        configuration.pollWait = .milliseconds(500)
        configuration.noRunnerDeadline = .seconds(3)
        configure(&configuration)
        let server = LocalAPIServer(configuration: configuration, logger: logger)
        return try await withTimeLimit(.seconds(30)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                let port = try await server.listeningPort()
                defer { group.cancelAll() }
                return try await withGRPCClient(
                    transport: .http2NIOPosix(
                        target: .ipv4(address: "127.0.0.1", port: port),
                        transportSecurity: .plaintext
                    )
                ) { client in
                    try await body(Clarifai_Api_V2.Client(wrapping: client), port)
                }
            }
        }
    }
}
