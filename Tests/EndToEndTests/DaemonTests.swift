import Foundation
import Synchronization
import Testing

/// The daemon as an operator meets it: exit codes, systemd notifications, no secret in logs.
@Suite("Daemon behaviour", .serialized)
struct DaemonTests {
    static let pat = "sekrit-PAT-4c1d2e9b8a7f"

    /// A bad flag or setting is one clear line and a documented exit code, never a stack trace.
    @Test("bad flags and settings give clear errors and exit codes",
          arguments: [
            (["run", "--no-such-flag"], Int32(64), "Unknown option"),
            (["run", "--user-id", "u", "--compute-cluster-id", "c", "--nodepool-id", "n", "--runner-id", "r"], Int32(78), "missing credentials"),
            (["run", "--pat", "x", "--compute-cluster-id", "c", "--nodepool-id", "n", "--runner-id", "r"], Int32(78), "missing --user-id"),
            (["run", "--pat", "x", "--user-id", "u", "--compute-cluster-id", "c", "--nodepool-id", "n", "--runner-id", "r", "--api-base", "ftp://x"], Int32(78), "must start with http"),
            (["run", "--pat", "x", "--user-id", "u", "--compute-cluster-id", "c", "--nodepool-id", "n", "--runner-id", "r", "--api-base", "http://10.1.2.3:80"], Int32(78), "refusing plaintext"),
            (["run", "--pat", "x", "--user-id", "u", "--compute-cluster-id", "c", "--nodepool-id", "n", "--runner-id", "r", "--model", "/nonexistent/libm.so"], Int32(66), "libm.so"),
            (["run", "--pat", "x", "--user-id", "u", "--compute-cluster-id", "c", "--nodepool-id", "n", "--runner-id", "r", "--parallel-polls", "0"], Int32(78), "--parallel-polls"),
            (["run", "--config", "/nonexistent.env"], Int32(78), "cannot read config file"),
          ])
    func badInput(arguments: [String], code: Int32, message: String) async throws {
        let child = try ChildProcess.runner(arguments)
        let status = await child.waitForExit(timeout: .seconds(20))
        #expect(status == code, "\(child.text)")
        #expect(child.text.contains(message), "\(child.text)")
        #expect(!child.text.contains("Fatal error"))
        #expect(child.text.split(separator: "\n").count <= 3, "\(child.text)")
    }

    /// READY=1 once streams are up, WATCHDOG=1 while running, STOPPING=1 on SIGTERM, in that order;
    /// and the PAT appears nowhere in what the daemon printed, even at debug level.
    @Test("systemd notifications arrive in order, and the PAT never reaches the logs")
    func systemdNotifyAndSecrets() async throws {
        let socket = try NotifySocket()
        socket.startReading()
        try await withProcesses { processes in
            let api = try ChildProcess.runner(["local-api", "--port", "0", "--pat", Self.pat])
            processes.append(api)
            let port = try await api.waitFor(#"listening on 127\.0\.0\.1:(\d+)"#)
            let runner = try ChildProcess.runner(
                ["run", "--api-base", "http://127.0.0.1:\(port)", "--user-id", "u", "--compute-cluster-id", "c",
                 "--nodepool-id", "n", "--runner-id", "r", "--log-level", "trace", "--health-address", "127.0.0.1:0"],
                environment: ["CLARIFAI_PAT": Self.pat, "NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"]
            )
            processes.append(runner)
            let result = try ClientResult.call("predict", port: Int(port)!, pat: Self.pat, texts: ["secret test"])
            #expect(result.texts == ["SECRET TEST"])
            _ = try ClientResult.call("predict", port: Int(port)!, pat: "wrong", texts: ["x"])
            try await Task.sleep(for: .seconds(1))
            runner.signal(SIGTERM)
            #expect(await runner.waitForExit() == 0, "\(runner.text)")

            let messages = socket.received()
            let ready = messages.firstIndex { $0.contains("READY=1") }
            let watchdog = messages.firstIndex { $0.contains("WATCHDOG=1") }
            let stopping = messages.firstIndex { $0.contains("STOPPING=1") }
            #expect(ready != nil && watchdog != nil && stopping != nil, "\(messages)")
            if let ready, let stopping, let watchdog {
                #expect(ready < stopping)
                #expect(watchdog < stopping)
            }
            #expect(!runner.text.contains(Self.pat), "the PAT leaked into the runner's output")
            #expect(!runner.text.isEmpty)
        }
    }
}

/// A unix datagram socket standing in for systemd's NOTIFY_SOCKET.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let fd: Int32

    init() throws {
        path = NSTemporaryDirectory() + "notify-\(UUID().uuidString.prefix(8)).sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            _ = path.utf8CString.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count - 1))) }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw HarnessError("cannot bind \(path)") }
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
    }

    private let messages = Mutex<[String]>([])
    private let reading = Mutex(true)

    /// Reads continuously, as systemd does: a reader that falls behind makes senders wait or drop.
    func startReading() {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while reading.withLock({ $0 }) {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count > 0 {
                    let text = String(decoding: buffer[..<count], as: UTF8.self)
                    messages.withLock { $0.append(text) }
                } else {
                    usleep(10_000)
                }
            }
        }
        thread.start()
    }

    /// Every datagram received so far.
    func received() -> [String] {
        messages.withLock { $0 }
    }

    deinit {
        reading.withLock { $0 = false }
        usleep(20_000)
        close(fd)
        unlink(path)
    }
}
