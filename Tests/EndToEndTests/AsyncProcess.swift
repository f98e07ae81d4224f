import Foundation
import Synchronization

/// Runs a short-lived command without blocking a thread of Swift's cooperative pool: tests run in
/// parallel on two cores, and a blocked pool thread would stall every other test in the process.
enum AsyncProcess {
    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: Data
    }

    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let stdout = OutputBuffer(), stderr = OutputBuffer()
        out.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { stdout.data.withLock { $0.append(chunk) } }
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { stderr.data.withLock { $0.append(chunk) } }
        }
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw HarnessError("\(executable) \(arguments.prefix(3).joined(separator: " ")) timed out")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Let the reading handlers take the last bytes.
        try await Task.sleep(for: .milliseconds(30))
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        let restOut = out.fileHandleForReading.readDataToEndOfFile()
        let restErr = err.fileHandleForReading.readDataToEndOfFile()
        stdout.data.withLock { $0.append(restOut) }
        stderr.data.withLock { $0.append(restErr) }
        return Result(
            status: process.terminationStatus,
            stdout: stdout.data.withLock { $0 },
            stderr: stderr.data.withLock { $0 }
        )
    }
}
