#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
@testable import RunnerOps

/// Stands in for systemd's notify socket: a bound Unix datagram socket the test reads from.
final class FakeNotifySocket: Sendable {
    /// The value to put in `NOTIFY_SOCKET`.
    let environmentValue: String
    private let descriptor: Int32
    private let path: String?

    struct SetupError: Error { let step: String; let code: Int32 }

    /// Binds a socket file under /tmp, or an abstract name when `abstract` is true.
    init(abstract: Bool = false) throws {
        let token = UUID().uuidString.prefix(12)
        self.environmentValue = abstract ? "@runnerops-test-\(token)" : "/tmp/runnerops-notify-\(token).sock"
        self.path = abstract ? nil : self.environmentValue

        self.descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard self.descriptor >= 0 else { throw SetupError(step: "socket", code: errno) }
        let address = try NotifySocketAddress(parsing: self.environmentValue)
        let result = address.withSocketAddress { bind(self.descriptor, $0, $1) }
        guard result == 0 else { throw SetupError(step: "bind", code: errno) }
    }

    deinit {
        close(self.descriptor)
        if let path { unlink(path) }
    }

    /// The next datagram, or `nil` after `timeout`.
    ///
    /// Polls without blocking so a waiting test never occupies a cooperative-pool thread that
    /// the service under test needs.
    func receive(timeout: Duration = .seconds(5)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count >= 0 { return String(decoding: buffer[0..<count], as: UTF8.self) }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }
}
