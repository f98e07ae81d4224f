import Foundation
import Synchronization

/// Bad URL targets on 127.0.0.1 for inputs given by URL: a port nobody listens on, a server that
/// accepts and never answers, and servers whose body is over the runner's fetch limit.
final class URLTargets: @unchecked Sendable {
    /// A port that refuses connections.
    let closedPort: Int
    /// Accepts, reads, never answers.
    let silentPort: Int
    /// Answers 200 with a Content-Length over the limit.
    let hugeDeclaredPort: Int
    /// Streams a body over the limit without a Content-Length.
    let hugeStreamedPort: Int
    private var listeners: [Int32] = []
    private let stopped = Atomic<Bool>(false)
    private let held = HeldSockets()

    init(streamedBytes: Int = 70 << 20) throws {
        let closed = try Self.listen()
        closedPort = closed.port
        close(closed.fd)
        let silent = try Self.listen(), declared = try Self.listen(), streamed = try Self.listen()
        silentPort = silent.port
        hugeDeclaredPort = declared.port
        hugeStreamedPort = streamed.port
        listeners = [silent.fd, declared.fd, streamed.fd]
        let held = self.held
        serve(silent.fd) { client in held.fds.withLock { $0.append(client) } }
        serve(declared.fd) { client in
            Self.reply(client, head: "HTTP/1.1 200 OK\r\nContent-Length: \(200 << 20)\r\nConnection: close\r\n\r\n", bodyBytes: 4096)
        }
        serve(streamed.fd) { client in
            Self.reply(client, head: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", bodyBytes: streamedBytes)
        }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        for fd in held.fds.withLock({ $0 }) { close(fd) }
    }

    private static func listen() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = ChaosProxy.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else { throw SuiteError("cannot listen: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private func serve(_ listener: Int32, _ handle: @escaping @Sendable (Int32) -> Void) {
        Thread.detachNewThread { [self] in
            defer { close(listener) }
            while !stopped.load(ordering: .relaxed) {
                var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let client = accept(listener, nil, nil)
                guard client >= 0 else { continue }
                Thread.detachNewThread { handle(client) }
            }
        }
    }

    /// Reads the request head, writes `head` and `bodyBytes` bytes, closes.
    private static func reply(_ client: Int32, head: String, bodyBytes: Int) {
        defer { close(client) }
        var request = [UInt8](repeating: 0, count: 8192)
        _ = recv(client, &request, request.count, 0)
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
        guard write(client, Array(head.utf8)) else { return }
        var sent = 0
        while sent < bodyBytes {
            guard write(client, Array(chunk.prefix(bodyBytes - sent))) else { return }
            sent += min(chunk.count, bodyBytes - sent)
        }
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}

/// Connections the silent server keeps open until the end.
final class HeldSockets: Sendable {
    let fds = Mutex<[Int32]>([])
}
