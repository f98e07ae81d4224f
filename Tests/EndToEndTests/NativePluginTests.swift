import Foundation
import Testing

/// The C example plugins, end to end: official Python client → local API → runner → plugin.
@Suite("C plugins through the whole path", .serialized)
struct NativePluginTests {
    static let pat = "plugin-pat-90ab12cd"

    /// Builds an example with its own Makefile, as a plugin author would.
    static func build(_ name: String, library: String? = nil) async throws -> String {
        let folder = ChildProcess.packageRoot.appendingPathComponent("runners/\(name)")
        let make = try await AsyncProcess.run("/usr/bin/env", ["make", "-s", "-C", folder.path])
        guard make.status == 0 else {
            throw HarnessError("make in runners/\(name) failed: \(String(decoding: make.stderr, as: UTF8.self).suffix(1000))")
        }
        return folder.appendingPathComponent(library ?? "lib\(name).so").path
    }

    func withDev(_ plugin: String, _ body: (Int) async throws -> Void) async throws {
        let path = try await Self.build(plugin)
        try await withProcesses { processes in
            let dev = try ChildProcess.runner(["dev", "--port", "0", "--pat", Self.pat, "--model", path])
            processes.append(dev)
            let port = try #require(Int(try await dev.waitFor(#"local Clarifai API on 127\.0\.0\.1:(\d+)"#)))
            try await body(port)
        }
    }

    @Test("predict: c-classifier answers concepts; a bad input fails alone")
    func classifier() async throws {
        try await withDev("c-classifier") { port in
            let result = try await ClientResult.call("predict", port: port, pat: Self.pat, texts: ["I love this, it is great", "nothing here"])
            #expect(result.status_code == 10000, "\(result.status_description ?? "")")
            let outputs = try #require(result.outputs?.first)
            #expect(outputs.count == 2)
            #expect(outputs[0].concepts?.first?.name == "positive")
            #expect(abs((outputs[0].concepts?.first?.value ?? 0) - 0.75) < 1e-6)
            #expect(abs((outputs[1].concepts?.first?.value ?? 0) - 0.5) < 1e-6)
        }
    }

    @Test("generate: c-generator streams one output per word")
    func generator() async throws {
        try await withDev("c-generator") { port in
            let result = try await ClientResult.call("generate", port: port, pat: Self.pat, texts: ["native tokens stream out"])
            #expect(result.texts.map { $0.trimmingCharacters(in: .whitespaces) } == ["native", "tokens", "stream", "out"], "\(result.texts)")
        }
    }

    @Test("stream: c-stream-stats keeps running statistics over the caller's stream")
    func streamStats() async throws {
        try await withDev("c-stream-stats") { port in
            let result = try await ClientResult.call("stream", port: port, pat: Self.pat, texts: ["1", "2 3", "10"])
            let texts = result.texts
            #expect(texts.count >= 3, "\(texts)")
            #expect(texts.first?.contains("count=1") == true, "\(texts)")
            #expect(texts.dropFirst(2).first?.contains("count=4") == true, "\(texts)")
            #expect(texts.dropFirst(2).first?.contains("max=10") == true, "\(texts)")
        }
    }
}
