/// Why a notification could not be delivered to the service manager.
public enum SystemdNotifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `NOTIFY_SOCKET` is neither an absolute path nor an `@` abstract name.
    case unsupportedSocketAddress(String)
    /// `NOTIFY_SOCKET` does not fit in `sockaddr_un.sun_path`.
    case socketAddressTooLong(String)
    /// `socket(2)` failed; carries `errno`.
    case socketCreationFailed(errno: Int32)
    /// `sendto(2)` failed; carries the socket and `errno`.
    case sendFailed(socket: String, errno: Int32)

    public var description: String {
        switch self {
        case .unsupportedSocketAddress(let value):
            return "NOTIFY_SOCKET '\(value)' is not supported: expected an absolute path or an '@' abstract name"
        case .socketAddressTooLong(let value):
            return "NOTIFY_SOCKET '\(value)' is too long for a Unix socket address"
        case .socketCreationFailed(let code):
            return "cannot create a socket to notify systemd: \(SystemError.message(for: code))"
        case .sendFailed(let socket, let code):
            return "cannot notify systemd through \(socket): \(SystemError.message(for: code))"
        }
    }
}
