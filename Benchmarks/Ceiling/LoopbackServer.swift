import GRPCCore
import GRPCNIOTransportHTTP2

/// Serves gRPC services on an ephemeral port of 127.0.0.1 while `body` runs.
enum LoopbackServer {
    static func with<R: Sendable>(
        services: [any RegistrableRPCService],
        _ body: (Int) async throws -> R
    ) async throws -> R {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: 0),
            transportSecurity: .plaintext,
            // The same payload limit as the local API, so both servers do the same checks.
            config: .defaults { $0.rpc.maxRequestPayloadSize = 128 * 1024 * 1024 }
        )
        return try await withGRPCServer(transport: transport, services: services) { _ in
            guard let port = try await transport.listeningAddress.ipv4?.port else {
                throw BenchError("the loopback server has no IPv4 address")
            }
            return try await body(port)
        }
    }
}
