import Testing
@testable import RunnerOps

@Suite struct NotifySocketAddressTests {
    @Test func parsesAbsolutePath() throws {
        let address = try NotifySocketAddress(parsing: "/run/systemd/notify")
        #expect(address.name == .path("/run/systemd/notify"))
        #expect(address.description == "/run/systemd/notify")
    }

    @Test func parsesAbstractName() throws {
        let address = try NotifySocketAddress(parsing: "@/org/freedesktop/systemd1/notify")
        #expect(address.name == .abstract("/org/freedesktop/systemd1/notify"))
    }

    @Test(arguments: ["relative/notify", "@", "vsock:2:1234"])
    func rejectsUnsupportedForms(value: String) {
        #expect(throws: SystemdNotifierError.unsupportedSocketAddress(value)) {
            try NotifySocketAddress(parsing: value)
        }
    }

    @Test func rejectsPathsThatDoNotFitSunPath() {
        let value = "/" + String(repeating: "x", count: 107)
        #expect(throws: SystemdNotifierError.socketAddressTooLong(value)) {
            try NotifySocketAddress(parsing: value)
        }
    }
}
