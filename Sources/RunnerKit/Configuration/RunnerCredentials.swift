import GRPCCore

/// How the runner authenticates to the API. The secret never appears in ``description``.
public enum RunnerCredentials: Sendable, Equatable, CustomStringConvertible {
    /// A personal access token, sent as `authorization: Key <PAT>`.
    case pat(String)
    /// A session token, sent as `x-clarifai-session-token`.
    case sessionToken(String)

    /// The gRPC metadata that carries the credentials.
    public var metadata: Metadata {
        switch self {
        case .pat(let pat): ["authorization": .string("Key \(pat)")]
        case .sessionToken(let token): ["x-clarifai-session-token": .string(token)]
        }
    }

    /// The secret itself, for redaction checks.
    public var secret: String {
        switch self {
        case .pat(let value), .sessionToken(let value): value
        }
    }

    public var description: String {
        switch self {
        case .pat(let pat): "PAT \(Self.mask(pat))"
        case .sessionToken(let token): "session token \(Self.mask(token))"
        }
    }

    /// Shows only enough of a secret to tell two apart: its last four characters.
    public static func mask(_ secret: String) -> String {
        secret.count <= 8 ? "****" : "****" + secret.suffix(4)
    }
}
