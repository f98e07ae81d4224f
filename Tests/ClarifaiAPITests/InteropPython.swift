import Foundation
import Testing

/// The Python of the interop venv, which holds the official clarifai-grpc package.
///
/// `Tests/run` creates it and exports its path in `CLARIFAI_TEST_PYTHON`; without it the
/// interop tests fail with instructions, never skip silently.
enum InteropPython {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func path() throws -> String {
        if let path = ProcessInfo.processInfo.environment["CLARIFAI_TEST_PYTHON"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let venv = packageRoot.appendingPathComponent(".build/interop-venv/bin/python").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        throw InteropError("no interop Python: run `.ci/setup-python` (or the README's test command, Tests/run) first")
    }

    /// Runs a script under Tests/Interop with `stdin`, returning stdout; fails on a non-zero exit.
    static func run(_ script: String, _ arguments: [String], stdin: Data = Data(), timeout: Duration = .seconds(60)) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = [packageRoot.appendingPathComponent("Tests/Interop/\(script)").path] + arguments
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw InteropError("\(script) exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self).suffix(2000))")
        }
        return out
    }
}

struct InteropError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
