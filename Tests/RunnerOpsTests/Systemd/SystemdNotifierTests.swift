#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RunnerOps

@Suite struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func deliversEachNotification(abstract: Bool) async throws {
        let socket = try FakeNotifySocket(abstract: abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.environmentValue])
        #expect(notifier.isEnabled)

        try notifier.ready()
        #expect(try await socket.receive() == "READY=1")
        try notifier.status("polling 2 streams")
        #expect(try await socket.receive() == "STATUS=polling 2 streams")
        try notifier.watchdog()
        #expect(try await socket.receive() == "WATCHDOG=1")
        try notifier.stopping(status: "draining")
        #expect(try await socket.receive() == "STOPPING=1\nSTATUS=draining")
        try notifier.extendTimeout(by: .seconds(90))
        #expect(try await socket.receive() == "EXTEND_TIMEOUT_USEC=90000000")
    }

    @Test func flattensMultiLineStatus() async throws {
        let socket = try FakeNotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.environmentValue])
        try notifier.ready(status: "loaded\nmodel")
        #expect(try await socket.receive() == "READY=1\nSTATUS=loaded model")
    }

    @Test func isANoOpWithoutNotifySocket() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        try notifier.ready()
        try notifier.watchdog()
        try notifier.stopping()
    }

    @Test func reportsAnUnusableNotifySocket() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "not/absolute"])
        #expect(throws: SystemdNotifierError.unsupportedSocketAddress("not/absolute")) {
            try notifier.ready()
        }
    }

    @Test func reportsAMissingListener() throws {
        let path = "/tmp/runnerops-nobody-listens-\(getpid()).sock"
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        #expect(throws: SystemdNotifierError.sendFailed(socket: path, errno: ENOENT)) {
            try notifier.ready()
        }
        #expect(SystemdNotifierError.sendFailed(socket: path, errno: ENOENT).description.contains("No such file"))
    }
}
