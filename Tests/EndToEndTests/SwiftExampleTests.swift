import Foundation
import Testing

/// The example package under runners/swift-example: a user's own package depending on RunnerKit.
@Suite("A Swift handler from another package", .serialized)
struct SwiftExampleTests {
    static let pat = "example-pat-5e6f"

    @Test("WordCountRunner serves predict and generate through the local API")
    func wordCount() async throws {
        let binary = URL(fileURLWithPath: ChildProcess.runnerBinary).deletingLastPathComponent().appendingPathComponent("WordCountRunner").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw HarnessError("\(binary) is missing: Tests/run builds runners/swift-example before the tests")
        }
        try await withProcesses { processes in
            let api = try ChildProcess.runner(["local-api", "--port", "0", "--pat", Self.pat])
            processes.append(api)
            let port = try await api.waitFor(#"listening on 127\.0\.0\.1:(\d+)"#)
            let runner = try ChildProcess("WordCountRunner", executable: binary, arguments: [], environment: [
                "CLARIFAI_API_BASE": "http://127.0.0.1:\(port)", "CLARIFAI_PAT": Self.pat,
            ])
            processes.append(runner)
            let counted = try await ClientResult.call("predict", port: Int(port)!, pat: Self.pat, texts: ["one two three"])
            #expect(counted.status_code == 10000, "\(counted.status_description ?? "")")
            #expect(counted.outputs?.first?.first?.concepts?.first?.value == 3)
            let reversed = try await ClientResult.call("generate", port: Int(port)!, pat: Self.pat, texts: ["a b c"])
            #expect(reversed.texts == ["c", "b", "a"])
            let unsupported = try await ClientResult.call("stream", port: Int(port)!, pat: Self.pat, texts: ["x"])
            #expect(unsupported.status_description?.contains("does not support stream") == true, "\(unsupported.status_description ?? "")")
        }
    }
}
