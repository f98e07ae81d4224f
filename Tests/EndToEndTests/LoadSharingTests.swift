import Foundation
import Testing

/// Two runner processes share the work; one is killed mid-item and no request is lost.
@Suite("Load sharing and failover", .serialized)
struct LoadSharingTests {
    static let pat = "share-pat-55aa66bb"

    @Test("killing one of two runners mid-item loses no request")
    func killOneRunner() async throws {
        try await withProcesses { processes in
            let api = try ChildProcess.runner(["local-api", "--port", "0", "--pat", Self.pat])
            processes.append(api)
            let port = try await api.waitFor(#"listening on 127\.0\.0\.1:(\d+)"#)
            func runner(_ id: String) throws -> ChildProcess {
                try ChildProcess.runner(
                    ["run", "--api-base", "http://127.0.0.1:\(port)", "--user-id", "u", "--compute-cluster-id", "c",
                     "--nodepool-id", "n", "--runner-id", id, "--model-config", "delay_ms=300", "--parallel-polls", "2"],
                    environment: ["CLARIFAI_PAT": Self.pat]
                )
            }
            let first = try runner("r-a")
            let second = try runner("r-b")
            processes += [first, second]
            try await Task.sleep(for: .seconds(1))

            let results = try await withThrowingTaskGroup(of: ClientResult.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await ClientResult.call("predict", port: Int(port)!, pat: Self.pat, texts: ["item \(index)"])
                    }
                }
                try await Task.sleep(for: .milliseconds(450))
                first.signal(SIGKILL)
                var all: [ClientResult] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 12)
            let answered = results.filter { $0.status_code == 10000 }
            // Each request got a final answer: a correct one, or a clear failure — never a hang.
            for result in results where result.status_code != 10000 {
                #expect(result.status_description?.isEmpty == false, "a failure without a reason")
            }
            #expect(answered.count >= 10, "\(results.map { $0.status_description ?? "" })")
            for result in answered { #expect(result.texts.first?.hasPrefix("ITEM") == true) }
        }
    }
}
