import Foundation

/// How the benchmark starts the two runner processes it compares: our built daemon and the
/// official Python runner, each serving an upper-casing model with four parallel work streams.
struct RunnerProcesses: Sendable {
    /// The built `clarifai-runner` binary.
    let runnerBinary: String
    /// The interop venv's Python, or why there is none.
    let python: Result<String, BenchError>
    /// Where child logs go.
    let logDirectory: URL

    static let parallelPolls = 4

    /// `clarifai-runner run` against 127.0.0.1:`port` with the built-in `example:upper` model.
    func ours(port: Int, runnerID: String = "bench-process") throws -> ChildProcess {
        try ChildProcess(
            name: "clarifai-runner-\(runnerID)", executable: runnerBinary,
            arguments: [
                "run", "--api-base", "http://127.0.0.1:\(port)",
                "--user-id", "bench", "--compute-cluster-id", "bench-cc", "--nodepool-id", "bench-np",
                "--runner-id", runnerID, "--model", "example:upper",
                "--parallel-polls", "\(Self.parallelPolls)", "--log-level", "warning",
            ],
            environment: ["CLARIFAI_PAT": Workload.pat],
            logDirectory: logDirectory
        )
    }

    /// `Tests/Interop/official_runner.py` (clarifai 12.5.0's ModelRunner) against 127.0.0.1:`port`.
    func official(port: Int) throws -> ChildProcess {
        let python = try python.get()
        let script = NoopPlugin.packageRoot.appendingPathComponent("Tests/Interop/official_runner.py").path
        return try ChildProcess(
            name: "official-runner", executable: python,
            arguments: [
                script, "--port", "\(port)", "--pat", Workload.pat,
                "--user-id", "bench", "--compute-cluster-id", "bench-cc", "--nodepool-id", "bench-np",
                "--runner-id", "bench-official", "--num-parallel-polls", "\(Self.parallelPolls)",
            ],
            environment: [:],
            logDirectory: logDirectory
        )
    }

    /// The `clarifai-runner` next to this executable: release benchmarks spawn the release daemon.
    static func defaultRunnerBinary() -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("clarifai-runner").path
    }

    /// The interop venv's Python, if it is set up (`.ci/setup-python`); the benchmark never
    /// installs anything itself.
    static func findPython() -> Result<String, BenchError> {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let path = environment["CLARIFAI_TEST_PYTHON"] { candidates.append(path) }
        let venv = environment["CLARIFAI_INTEROP_VENV"].map { URL(fileURLWithPath: $0, relativeTo: NoopPlugin.packageRoot) }
            ?? NoopPlugin.packageRoot.appendingPathComponent(".build/interop-venv")
        candidates.append(venv.appendingPathComponent("bin/python").path)
        guard let python = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .failure(BenchError("no interop venv at \(venv.path); run .ci/setup-python to create it"))
        }
        let stamp = venv.appendingPathComponent(".interop-stamp").path
        if environment["CLARIFAI_TEST_PYTHON"] == nil, !FileManager.default.fileExists(atPath: stamp) {
            return .failure(BenchError("the interop venv at \(venv.path) is incomplete; run .ci/setup-python"))
        }
        return .success(python)
    }
}
