#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Sends service-manager notifications (the `sd_notify` protocol) over `NOTIFY_SOCKET`.
///
/// We speak the protocol ourselves rather than linking libsystemd: it is one datagram of
/// newline-separated `KEY=VALUE` lines, and avoiding the C library keeps the binary portable to
/// hosts and containers without it.
///
/// When `NOTIFY_SOCKET` is unset (a terminal, a container, a test) every call is a no-op, so the
/// daemon can notify unconditionally.
///
/// A fresh socket is opened for each message. Notifications are rare (start, status changes,
/// a watchdog ping every few seconds), and holding no descriptor keeps the type a plain value
/// that is trivially `Sendable`.
public struct SystemdNotifier: Sendable {
    /// Where notifications go, or `nil` when not running under a service manager.
    public let socketAddress: NotifySocketAddress?

    /// Set when `NOTIFY_SOCKET` was present but unusable; reported by every send so that a
    /// misconfiguration is visible instead of silently disabling `Type=notify`.
    private let configurationError: SystemdNotifierError?

    /// Reads `NOTIFY_SOCKET` from `environment`.
    ///
    /// - Parameter environment: Injected so tests need not mutate the process environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let value = environment["NOTIFY_SOCKET"], !value.isEmpty else {
            self.socketAddress = nil
            self.configurationError = nil
            return
        }
        do {
            self.socketAddress = try NotifySocketAddress(parsing: value)
            self.configurationError = nil
        } catch {
            self.socketAddress = nil
            self.configurationError = error
        }
    }

    /// Sends to an explicit socket, regardless of the environment.
    public init(socketAddress: NotifySocketAddress) {
        self.socketAddress = socketAddress
        self.configurationError = nil
    }

    /// Whether notifications are actually delivered.
    public var isEnabled: Bool { self.socketAddress != nil }

    /// Tells systemd that start-up finished; with `Type=notify` the unit becomes active only now.
    public func ready(status: String? = nil) throws(SystemdNotifierError) {
        try self.send(["READY=1"] + (status.map { [Self.statusLine($0)] } ?? []))
    }

    /// Sets the free-form line `systemctl status` shows for the unit.
    public func status(_ text: String) throws(SystemdNotifierError) {
        try self.send([Self.statusLine(text)])
    }

    /// Tells systemd the service began shutting down, so it is not mistaken for a crash.
    public func stopping(status: String? = nil) throws(SystemdNotifierError) {
        try self.send(["STOPPING=1"] + (status.map { [Self.statusLine($0)] } ?? []))
    }

    /// Keeps the `WatchdogSec=` timer from firing.
    public func watchdog() throws(SystemdNotifierError) {
        try self.send(["WATCHDOG=1"])
    }

    /// Asks systemd for more time before its start or stop timeout fires, for example while a
    /// large model loads.
    public func extendTimeout(by duration: Duration) throws(SystemdNotifierError) {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        try self.send(["EXTEND_TIMEOUT_USEC=\(max(0, microseconds))"])
    }

    /// Sends the given `KEY=VALUE` assignments as one datagram, so systemd applies them together.
    public func send(_ assignments: [String]) throws(SystemdNotifierError) {
        if let configurationError { throw configurationError }
        guard let socketAddress else { return }
        let message = assignments.joined(separator: "\n")

        let descriptor = socket(AF_UNIX, Self.datagramSocketType, 0)
        guard descriptor >= 0 else { throw .socketCreationFailed(errno: errno) }
        defer { close(descriptor) }

        let failure: Int32? = socketAddress.withSocketAddress { address, length in
            Array(message.utf8).withUnsafeBytes { bytes in
                while true {
                    // MSG_DONTWAIT: a full queue on systemd's side must cost one notification, not
                    // hang the daemon (a unix datagram send blocks when the reader is behind).
                    let sent = sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), address, length)
                    if sent >= 0 { return nil }
                    if errno != EINTR { return errno }
                }
            }
        }
        if let failure { throw .sendFailed(socket: socketAddress.description, errno: failure) }
    }

    /// A `STATUS=` line; newlines would start a new assignment, so they are flattened.
    private static func statusLine(_ text: String) -> String {
        "STATUS=" + text.replacingOccurrences(of: "\n", with: " ")
    }

    /// `SOCK_CLOEXEC` keeps the descriptor out of any child process spawned concurrently.
    private static var datagramSocketType: Int32 {
        #if os(Linux)
        Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        SOCK_DGRAM
        #endif
    }
}
