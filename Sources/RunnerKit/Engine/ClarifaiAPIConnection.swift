import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2

/// Runs `body` with a V2 client connected to `endpoint`, for one-off calls such as runner
/// registration; the connection closes when `body` returns.
public func withClarifaiAPI<Result: Sendable>(
    endpoint: APIEndpoint,
    _ body: (Clarifai_Api_V2.Client<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    let transport = try HTTP2ClientTransport.Posix.make(for: endpoint)
    return try await withGRPCClient(transport: transport) { client in
        try await body(Clarifai_Api_V2.Client(wrapping: client))
    }
}

extension CallOptions {
    /// Options for a one-off call: fail fast if the API cannot be reached, within `timeout`.
    public static func oneOff(timeout: Duration = .seconds(15)) -> CallOptions {
        var options = CallOptions.defaults
        options.waitForReady = false
        options.timeout = timeout
        return options
    }
}
