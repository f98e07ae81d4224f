import Testing
@testable import RunnerOps

@Suite struct WatchdogConfigurationTests {
    @Test func pingsAtHalfTheTimeout() throws {
        let configuration = try #require(WatchdogConfiguration(environment: ["WATCHDOG_USEC": "30000000"], processID: 42))
        #expect(configuration.timeout == .seconds(30))
        #expect(configuration.pingInterval == .seconds(15))
    }

    @Test func acceptsOurOwnPID() {
        #expect(WatchdogConfiguration(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "42"], processID: 42) != nil)
    }

    @Test(arguments: [
        [:],
        ["WATCHDOG_USEC": "0"],
        ["WATCHDOG_USEC": "soon"],
        ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "7"],
        ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "self"],
    ])
    func isDisabled(environment: [String: String]) {
        #expect(WatchdogConfiguration(environment: environment, processID: 42) == nil)
    }
}
