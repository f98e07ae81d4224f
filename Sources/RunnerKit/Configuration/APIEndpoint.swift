import Foundation

/// Where the Clarifai API is and how to reach it, parsed from a base URL such as
/// `https://api.clarifai.com` or `http://127.0.0.1:50051`.
public struct APIEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is secured.
    public enum Security: Sendable, Equatable {
        /// No encryption: only for `http://` URLs.
        case plaintext
        /// TLS with the system's roots, or with the PEM roots in `rootCertificatesPath`.
        case tls(rootCertificatesPath: String?)
    }

    /// The host name or address.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// Plaintext or TLS.
    public var security: Security

    /// The official default, `https://api.clarifai.com`.
    public static let clarifai = APIEndpoint(host: "api.clarifai.com", port: 443, security: .tls(rootCertificatesPath: nil))

    /// Creates an endpoint from its parts.
    public init(host: String, port: Int, security: Security) {
        self.host = host
        self.port = port
        self.security = security
    }

    /// Parses a base URL: `http://` means plaintext, `https://` means TLS (port 443 by default).
    /// A bare `host:port` is taken as `https://host:port`.
    public init(url: String, rootCertificatesPath: String? = nil) throws(APIEndpointError) {
        var rest = Substring(url.trimmingCharacters(in: .whitespaces))
        let secure: Bool
        if rest.hasPrefix("http://") {
            secure = false
            rest = rest.dropFirst("http://".count)
        } else if rest.hasPrefix("https://") {
            secure = true
            rest = rest.dropFirst("https://".count)
        } else if rest.contains("://") {
            throw .unsupportedScheme(url)
        } else {
            secure = true
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard !rest.isEmpty else { throw .missingHost(url) }
        var host = String(rest)
        var port = secure ? 443 : 80
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let parsed = Int(rest[rest.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw .invalidPort(url)
            }
            port = parsed
            host = String(rest[..<colon])
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .missingHost(url) }
        self.init(host: host, port: port, security: secure ? .tls(rootCertificatesPath: rootCertificatesPath) : .plaintext)
    }

    /// Whether the host is on this machine, where plaintext is acceptable.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var description: String {
        switch security {
        case .plaintext: "http://\(host):\(port)"
        case .tls: "https://\(host):\(port)"
        }
    }
}

/// Why an API base URL could not be used.
public enum APIEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedScheme(String)
    case missingHost(String)
    case invalidPort(String)

    public var description: String {
        switch self {
        case .unsupportedScheme(let url): "API base '\(url)' must start with http:// or https://"
        case .missingHost(let url): "API base '\(url)' names no host"
        case .invalidPort(let url): "API base '\(url)' has an invalid port (1-65535)"
        }
    }
}
