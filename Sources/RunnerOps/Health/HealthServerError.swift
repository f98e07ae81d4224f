#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Why the health server could not start listening, worded for the operator who must fix it.
public enum HealthServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process already listens on the address.
    case addressInUse(host: String, port: Int)
    /// The host is not an address of this machine.
    case addressNotAvailable(host: String, port: Int)
    /// Binding needs privileges the process lacks (ports below 1024).
    case permissionDenied(host: String, port: Int)
    /// The host could not be resolved to an address.
    case unknownHost(host: String, port: Int)
    /// Any other bind failure, with the system's reason.
    case bindFailed(host: String, port: Int, reason: String)

    /// Classifies an error thrown by `ServerBootstrap.bind`.
    init(bindError error: any Error, host: String, port: Int) {
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case EADDRINUSE: self = .addressInUse(host: host, port: port)
            case EADDRNOTAVAIL: self = .addressNotAvailable(host: host, port: port)
            case EACCES, EPERM: self = .permissionDenied(host: host, port: port)
            default: self = .bindFailed(host: host, port: port, reason: SystemError.message(for: ioError.errnoCode))
            }
        } else if error is SocketAddressError {
            self = .unknownHost(host: host, port: port)
        } else {
            self = .bindFailed(host: host, port: port, reason: "\(error)")
        }
    }

    public var description: String {
        switch self {
        case .addressInUse(let host, let port):
            return "health server cannot listen on \(Self.format(host, port)): the address is already in use; "
                + "stop the other process or choose another port with CLARIFAI_RUNNER_HEALTH_ADDRESS"
        case .addressNotAvailable(let host, let port):
            return "health server cannot listen on \(Self.format(host, port)): \(host) is not an address of this host"
        case .permissionDenied(let host, let port):
            return "health server cannot listen on \(Self.format(host, port)): permission denied; use a port above 1023"
        case .unknownHost(let host, let port):
            return "health server cannot listen on \(Self.format(host, port)): '\(host)' is not a valid address"
        case .bindFailed(let host, let port, let reason):
            return "health server cannot listen on \(Self.format(host, port)): \(reason)"
        }
    }

    /// `host:port`, bracketing IPv6 literals so the port is unambiguous.
    private static func format(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
