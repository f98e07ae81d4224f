import Foundation
import Testing

/// Builds the example plugins (with their Makefiles) and the broken fixtures (with `cc`) once per
/// test run, into a fresh temporary directory.
enum PluginBuilds {
    /// The package root, found from this file's location.
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support/, CModelBackendTests/, Tests/, file
        return url
    }()

    static let headerDirectory = repositoryRoot.appendingPathComponent("Sources/CClarifaiRunnerABI/include")
    static let fixtureDirectory = repositoryRoot.appendingPathComponent("Tests/CModelBackendTests/Fixtures")

    /// Whether `cc` and `make` can be found; the suites skip (and say so) without them.
    static let toolsAvailable: Bool = which("cc") != nil && which("make") != nil

    /// The directory holding every built plugin, or the reason the build failed.
    static let output: Result<URL, BuildFailure> = build()

    struct BuildFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The path of a built example (`c-classifier`) or fixture (`call_error`).
    static func path(_ name: String) throws -> String {
        let directory = try output.get()
        return directory.appendingPathComponent("lib\(name).so").path
    }

    private static func build() -> Result<URL, BuildFailure> {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cmodelbackend-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for example in ["c-classifier", "c-generator", "c-stream-stats"] {
                try run("make", ["-s", "-C", repositoryRoot.appendingPathComponent("runners/\(example)").path,
                                 "BUILD_DIR=\(directory.path)"])
            }
            let sources = try FileManager.default.contentsOfDirectory(atPath: fixtureDirectory.path)
                .filter { $0.hasSuffix(".c") }
            for source in sources {
                let name = String(source.dropLast(2))
                try run("cc", ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-shared", "-fPIC",
                               "-I", headerDirectory.path, "-I", fixtureDirectory.path,
                               "-o", directory.appendingPathComponent("lib\(name).so").path,
                               fixtureDirectory.appendingPathComponent(source).path])
            }
            // Not a library at all, but named like one.
            try FileManager.default.copyItem(
                at: fixtureDirectory.appendingPathComponent("not_a_library.txt"),
                to: directory.appendingPathComponent("libnot_a_library.so"))
            return .success(directory)
        } catch let failure as BuildFailure {
            return .failure(failure)
        } catch {
            return .failure(BuildFailure(description: "\(error)"))
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        guard let executable = which(tool) else { throw BuildFailure(description: "\(tool) not found on PATH") }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BuildFailure(description: "\(tool) \(arguments.joined(separator: " ")) failed: "
                + (String(data: message, encoding: .utf8) ?? ""))
        }
    }

    private static func which(_ tool: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(tool) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
