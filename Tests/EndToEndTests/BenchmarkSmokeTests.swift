import Foundation
import Testing

/// The benchmark executable still runs end to end: a `--quick` debug run of a few seconds that
/// must finish by itself and print its JSON line. The figures of a debug build mean nothing, so
/// only their presence is checked; the real numbers come from a release run (Benchmarks/README.md).
@Suite("Benchmark smoke run")
struct BenchmarkSmokeTests {
    static var benchBinary: String {
        URL(fileURLWithPath: ChildProcess.runnerBinary).deletingLastPathComponent()
            .appendingPathComponent("clarifai-runner-bench").path
    }

    @Test("clarifai-runner-bench --quick prints a table and one JSON line with every path measured",
          .enabled(if: FileManager.default.isExecutableFile(atPath: benchBinary),
                   "clarifai-runner-bench is not built next to clarifai-runner (swift build --build-tests builds it)"))
    func quickRun() async throws {
        let bench = try ChildProcess(
            "clarifai-runner-bench", executable: Self.benchBinary,
            arguments: ["--quick", "--skip-official", "--runner-binary", ChildProcess.runnerBinary]
        )
        let status = await bench.waitForExit(timeout: .seconds(180))
        let output = bench.text
        #expect(status == 0, "\(output.suffix(3000))")
        #expect(output.contains("targets:"), "\(output.suffix(3000))")
        let jsonLine = try #require(output.split(separator: "\n").last { $0.hasPrefix("{") }, "\(output.suffix(3000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any])
        let ratios = try #require(report["ratios"] as? [String: Double])
        for key in ["swift_unary_1_vs_ceiling", "swift_unary_16_vs_ceiling", "swift_stream_16_vs_ceiling", "plugin_unary_16_vs_ceiling"] {
            #expect((ratios[key] ?? 0) > 0, "\(key) missing in \(jsonLine)")
        }
        let resources = try #require(report["resources"] as? [String: Any], "\(output.suffix(3000))")
        #expect((resources["idleRSSMiB"] as? Double ?? 0) > 0)
        #expect((report["skipped"] as? [String: String])?["official runner"] == "--skip-official")
    }
}
