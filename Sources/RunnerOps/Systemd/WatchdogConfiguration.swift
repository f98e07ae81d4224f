#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The watchdog systemd arms for us through `WatchdogSec=`, read from `WATCHDOG_USEC`/`WATCHDOG_PID`.
public struct WatchdogConfiguration: Sendable, Hashable {
    /// How long systemd waits for a `WATCHDOG=1` before it considers the service hung.
    public let timeout: Duration

    /// How often to ping: half the timeout, as `sd_watchdog_enabled(3)` recommends, so one late
    /// ping under load does not get the service killed.
    public var pingInterval: Duration { self.timeout / 2 }

    /// Creates a configuration with an explicit timeout.
    public init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Reads the watchdog settings the way `sd_watchdog_enabled(3)` does.
    ///
    /// Returns `nil` when the watchdog is off: `WATCHDOG_USEC` missing, not a positive integer,
    /// or `WATCHDOG_PID` naming another process (the variables leak into children, and a child
    /// pinging on the parent's behalf would hide a hung parent).
    public init?(environment: [String: String], processID: pid_t = getpid()) {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard let pid = pid_t(pidText), pid == processID else { return nil }
        }
        self.timeout = .microseconds(microseconds)
    }
}
