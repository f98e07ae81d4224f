import Logging
import ServiceLifecycle
import Testing
@testable import RunnerOps

@Suite struct WatchdogServiceTests {
    private let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The sequence systemd must see from a daemon's life: ready, kept alive, stopping.
    @Test func notifiesReadyThenWatchdogThenStopping() async throws {
        let socket = try FakeNotifySocket()
        let environment = ["NOTIFY_SOCKET": socket.environmentValue, "WATCHDOG_USEC": "100000"]
        let notifier = SystemdNotifier(environment: environment)
        let watchdog = WatchdogService(notifier: notifier, environment: environment, logger: self.logger)
        let group = ServiceGroup(configuration: .init(services: [watchdog], logger: self.logger))

        try notifier.ready()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await socket.receive() == "READY=1")
            // Two pings prove it repeats, not just announces.
            #expect(try await socket.receive() == "WATCHDOG=1")
            #expect(try await socket.receive() == "WATCHDOG=1")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try notifier.stopping()

        // Pings already in flight when shutdown began may precede STOPPING=1, but none follow it.
        var message = try await socket.receive()
        while message == "WATCHDOG=1" { message = try await socket.receive() }
        #expect(message == "STOPPING=1")
        #expect(try await socket.receive(timeout: .milliseconds(150)) == nil)
    }

    @Test func staysSilentWhenTheWatchdogBelongsToAnotherProcess() async throws {
        let socket = try FakeNotifySocket()
        let environment = ["NOTIFY_SOCKET": socket.environmentValue, "WATCHDOG_USEC": "50000", "WATCHDOG_PID": "1"]
        let watchdog = WatchdogService(
            notifier: SystemdNotifier(environment: environment), environment: environment, logger: self.logger)
        let group = ServiceGroup(configuration: .init(services: [watchdog], logger: self.logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await socket.receive(timeout: .milliseconds(200)) == nil)
            // A disabled watchdog must not end the group on its own; only shutdown ends it.
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
