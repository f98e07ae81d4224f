import Foundation

/// What `Tests/Interop/client.py` prints: the official Python client's view of a call.
struct ClientResult: Decodable {
    struct Concept: Decodable {
        let name: String?
        let value: Double
    }

    struct Output: Decodable {
        let text: String?
        let status_code: Int
        let status_description: String?
        let concepts: [Concept]?
        let embedding: [Double]?
    }

    let status_code: Int?
    let status_description: String?
    let outputs: [[Output]]?
    let grpc_error: String?

    /// All output texts, across responses.
    var texts: [String] { (outputs ?? []).flatMap { $0.compactMap(\.text) } }

    /// Runs `client.py MODE` against the API on `port` and decodes its JSON line.
    static func call(_ mode: String, port: Int, pat: String, texts: [String], extra: [String] = []) throws -> ClientResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ChildProcess.python)
        process.arguments = [ChildProcess.packageRoot.appendingPathComponent("Tests/Interop/client.py").path, mode,
                             "--port", "\(port)", "--pat", pat, "--model-id", "upper", "--timeout", "60"]
            + texts.flatMap { ["--text", $0] } + extra
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else {
            throw HarnessError("client.py \(mode) printed nothing; stderr: \(String(decoding: err, as: UTF8.self).suffix(2000))")
        }
        return try JSONDecoder().decode(ClientResult.self, from: Data(line.utf8))
    }
}
