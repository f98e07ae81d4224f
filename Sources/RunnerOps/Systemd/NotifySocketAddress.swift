#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The Unix datagram socket the service manager listens on, parsed from `NOTIFY_SOCKET`.
///
/// systemd hands out either a filesystem path (`/run/systemd/notify`) or, in containers and some
/// test harnesses, a Linux abstract-namespace name written with a leading `@`. Both end up in a
/// `sockaddr_un`; only the length and the first byte differ.
public struct NotifySocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// How the socket is named.
    public enum Name: Sendable, Hashable {
        /// A socket file such as `/run/systemd/notify`.
        case path(String)
        /// An abstract-namespace socket; the value excludes the leading `@`.
        case abstract(String)
    }

    /// The parsed name.
    public let name: Name

    /// Parses the value of `NOTIFY_SOCKET`.
    ///
    /// - Throws: ``SystemdNotifierError/unsupportedSocketAddress(_:)`` for relative paths and the
    ///   `vsock:` form (used by VMs; not needed for a host service), and
    ///   ``SystemdNotifierError/socketAddressTooLong(_:)`` when the name does not fit `sun_path`.
    public init(parsing value: String) throws(SystemdNotifierError) {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        if value.hasPrefix("/") {
            // One byte is reserved for the terminating NUL of a path.
            guard value.utf8.count < capacity else { throw .socketAddressTooLong(value) }
            self.name = .path(value)
        } else if value.hasPrefix("@"), value.utf8.count > 1 {
            // The '@' becomes the leading NUL byte, so the name may use every remaining byte.
            guard value.utf8.count <= capacity else { throw .socketAddressTooLong(value) }
            self.name = .abstract(String(value.dropFirst()))
        } else {
            throw .unsupportedSocketAddress(value)
        }
    }

    public var description: String {
        switch self.name {
        case .path(let path): return path
        case .abstract(let name): return "@" + name
        }
    }

    /// Calls `body` with this address as a `sockaddr` and the exact length `sendto` expects.
    ///
    /// The length matters for abstract names: the kernel compares every byte up to it, so padding
    /// with NULs would address a different socket.
    func withSocketAddress<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result
    ) rethrows -> Result {
        let bytes: [UInt8]
        switch self.name {
        case .path(let path): bytes = Array(path.utf8) + [0]
        case .abstract(let name): bytes = [0] + Array(name.utf8)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(length))
            }
        }
    }
}
