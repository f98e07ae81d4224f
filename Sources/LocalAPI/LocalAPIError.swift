/// Errors that stop ``LocalAPIServer`` from serving.
public enum LocalAPIError: Error, Sendable, CustomStringConvertible {
    /// The listening socket could not be bound, most often because the port is already in use.
    case bindFailed(host: String, port: Int, reason: String)

    /// ``LocalAPIServer/listeningPort()`` was asked after the server stopped without ever binding.
    case notListening

    /// A human-readable explanation, suitable for a CLI error line.
    public var description: String {
        switch self {
        case .bindFailed(let host, let port, let reason):
            return "The local API could not listen on \(host):\(port): \(reason)"
        case .notListening:
            return "The local API is not listening"
        }
    }
}
