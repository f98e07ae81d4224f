import Foundation

/// Builds the misbehaving C plugins once per run with `cc`: this suite's own (`Fixtures/`) and the
/// broken fixtures of CModelBackendTests (`call_error`, `oversized_output`).
enum FaultPlugins {
    static let header = RealProcess.packageRoot.appendingPathComponent("Sources/CClarifaiRunnerABI/include").path
    static let sources: [String: URL] = [
        "hang": RealProcess.packageRoot.appendingPathComponent("Tests/ReliabilityTests/Fixtures/hang.c"),
        "call_error": RealProcess.packageRoot.appendingPathComponent("Tests/CModelBackendTests/Fixtures/call_error.c"),
        "oversized_output": RealProcess.packageRoot.appendingPathComponent("Tests/CModelBackendTests/Fixtures/oversized_output.c"),
    ]

    /// The directory of built plugins, or why they could not be built.
    static let built: Result<URL, SuiteError> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reliability-plugins-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, source) in sources {
                let compiler = Process()
                compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                compiler.arguments = ["cc", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-shared", "-fPIC", "-I", header,
                                      "-I", source.deletingLastPathComponent().path,
                                      "-o", directory.appendingPathComponent("lib\(name).so").path, source.path]
                try compiler.run()
                compiler.waitUntilExit()
                guard compiler.terminationStatus == 0 else { return .failure(SuiteError("cc failed for \(name)")) }
            }
            return .success(directory)
        } catch {
            return .failure(SuiteError("cannot build plugins: \(error)"))
        }
    }()

    static func path(_ name: String) throws -> String {
        try built.get().appendingPathComponent("lib\(name).so").path
    }
}
