import GRPCCore
import GRPCNIOTransportHTTP2

extension HTTP2ClientTransport.Posix {
    /// A transport for `endpoint`, with HTTP/2 keepalive so that a dead connection is noticed even
    /// while every stream is silently waiting for work.
    static func make(for endpoint: APIEndpoint) throws -> Self {
        let target: any ResolvableTarget
        if endpoint.host.contains(":") {
            target = .ipv6(address: endpoint.host, port: endpoint.port)
        } else if endpoint.host.split(separator: ".").count == 4, endpoint.host.allSatisfy({ $0.isNumber || $0 == "." }) {
            target = .ipv4(address: endpoint.host, port: endpoint.port)
        } else {
            target = .dns(host: endpoint.host, port: endpoint.port)
        }
        let security: TransportSecurity
        switch endpoint.security {
        case .plaintext:
            security = .plaintext
        case .tls(let roots):
            security = .tls { config in
                if let roots {
                    config.trustRoots = .certificates([.file(path: roots, format: .pem)])
                }
            }
        }
        return try Self(
            target: target,
            transportSecurity: security,
            config: .defaults { config in
                config.connection.keepalive = .init(time: .seconds(30), timeout: .seconds(10), allowWithoutCalls: true)
                // Reconnect attempts are cheap on an idle runner, and work should resume within about a
                // second of the API returning; the work loops add their own jittered backoff on top.
                config.backoff = .init(initial: .milliseconds(100), max: .seconds(1), multiplier: 1.6, jitter: 0.2)
            }
        )
    }
}
