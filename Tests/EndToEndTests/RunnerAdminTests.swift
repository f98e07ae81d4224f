import Foundation
import Testing

/// `runner create/list/get/delete` against the local API, through the real binary.
@Suite("Runner registration", .serialized)
struct RunnerAdminTests {
    static let pat = "admin-pat-0a1b2c3d"

    func admin(_ port: String, _ arguments: [String]) async throws -> (Int32, String) {
        let child = try ChildProcess.runner(arguments + [
            "--api-base", "http://127.0.0.1:\(port)", "--pat", Self.pat, "--user-id", "me",
            "--compute-cluster-id", "cc", "--nodepool-id", "np",
        ])
        let status = await child.waitForExit(timeout: .seconds(30))
        return (status, child.text)
    }

    @Test("create is idempotent; list, get and delete round-trip")
    func lifecycle() async throws {
        try await withProcesses { processes in
            let api = try ChildProcess.runner(["local-api", "--port", "0", "--pat", Self.pat])
            processes.append(api)
            let port = try await api.waitFor(#"listening on 127\.0\.0\.1:(\d+)"#)

            let (created, createText) = try await admin(port, ["runner", "create", "--runner-id", "r-1", "--model-id", "upper", "--label", "gpu"])
            #expect(created == 0, "\(createText)")
            #expect(createText.contains("created runner r-1"))

            let (again, againText) = try await admin(port, ["runner", "create", "--runner-id", "r-1", "--model-id", "upper"])
            #expect(again == 0, "\(againText)")
            #expect(againText.contains("already exists"))

            let (listed, listText) = try await admin(port, ["runner", "list"])
            #expect(listed == 0)
            #expect(listText.contains("\"id\":\"r-1\"") || listText.contains("\"id\": \"r-1\""), "\(listText)")

            let (got, getText) = try await admin(port, ["runner", "get", "r-1"])
            #expect(got == 0)
            #expect(getText.contains("upper"), "\(getText)")

            let (deleted, deleteText) = try await admin(port, ["runner", "delete", "r-1"])
            #expect(deleted == 0, "\(deleteText)")
            let (gone, goneText) = try await admin(port, ["runner", "get", "r-1"])
            #expect(gone != 0, "\(goneText)")

            let child = try ChildProcess.runner(["runner", "list", "--api-base", "http://127.0.0.1:\(port)", "--pat", "wrong",
                                                 "--user-id", "me", "--compute-cluster-id", "cc", "--nodepool-id", "np"])
            #expect(await child.waitForExit() == 69, "\(child.text)")
            #expect(child.text.contains("11008") || child.text.contains("KEY"), "\(child.text)")
        }
    }
}
