import Foundation
import Testing

/// The official Python client (clarifai-grpc) calls our local API and runner in real processes.
@Suite("Official Python client → clarifai-runner dev", .serialized)
struct OfficialClientTests {
    static let pat = "e2e-pat-7f3a9c"

    @Test("all three modes answer, and a bad PAT gets CONN_KEY_INVALID")
    func threeModes() async throws {
        try await withProcesses { processes in
            let dev = try ChildProcess.runner(["dev", "--port", "0", "--pat", Self.pat, "--parallel-polls", "2"])
            processes.append(dev)
            let port = try #require(Int(try await dev.waitFor(#"local Clarifai API on 127\.0\.0\.1:(\d+)"#)))

            let predict = try await ClientResult.call("predict", port: port, pat: Self.pat, texts: ["hello", "world wide"])
            #expect(predict.status_code == 10000)
            #expect(predict.texts == ["HELLO", "WORLD WIDE"])

            let generate = try await ClientResult.call("generate", port: port, pat: Self.pat, texts: ["one two three"])
            #expect(generate.texts == ["ONE", "TWO", "THREE"])

            let stream = try await ClientResult.call("stream", port: port, pat: Self.pat, texts: ["a", "b c", "d"])
            #expect(stream.texts == ["A", "B C", "D"])

            let refused = try await ClientResult.call("predict", port: port, pat: "wrong-pat", texts: ["x"])
            #expect(refused.status_code == 11008)
            #expect(refused.texts.isEmpty)
        }
    }
}

/// The official Python runner (pip `clarifai`, ModelRunner) serves through our local API.
@Suite("Official Python runner → clarifai-runner local-api", .serialized)
struct OfficialRunnerTests {
    static let pat = "e2e-pat-official-1"

    @Test("the official runner serves predict, generate and stream-stream")
    func officialRunner() async throws {
        try await withProcesses { processes in
            let api = try ChildProcess.runner(["local-api", "--port", "0", "--pat", Self.pat])
            processes.append(api)
            let port = try #require(Int(try await api.waitFor(#"listening on 127\.0\.0\.1:(\d+)"#)))
            let runner = try ChildProcess.pythonScript("official_runner.py", [
                "--port", "\(port)", "--pat", Self.pat, "--user-id", "local", "--compute-cluster-id", "cc",
                "--nodepool-id", "np", "--runner-id", "official", "--num-parallel-polls", "2",
            ])
            processes.append(runner)

            let predict = try await ClientResult.call("predict", port: port, pat: Self.pat, texts: ["served by python"])
            #expect(predict.status_code == 10000, "\(predict.status_description ?? "")")
            #expect(predict.texts == ["SERVED BY PYTHON"])

            let generate = try await ClientResult.call("generate", port: port, pat: Self.pat, texts: ["x y z"])
            #expect(generate.texts == ["X", "Y", "Z"])

            let stream = try await ClientResult.call("stream", port: port, pat: Self.pat, texts: ["p", "q"])
            #expect(stream.texts == ["P", "Q"])
        }
    }
}
