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
    static func call(_ mode: String, port: Int, pat: String, texts: [String], extra: [String] = []) async throws -> ClientResult {
        let arguments = [ChildProcess.packageRoot.appendingPathComponent("Tests/Interop/client.py").path, mode,
                         "--port", "\(port)", "--pat", pat, "--model-id", "upper", "--timeout", "60"]
            + texts.flatMap { ["--text", $0] } + extra
        let result = try await AsyncProcess.run(try ChildProcess.python, arguments)
        guard let line = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").last else {
            throw HarnessError("client.py \(mode) printed nothing; stderr: \(String(decoding: result.stderr, as: UTF8.self).suffix(2000))")
        }
        return try JSONDecoder().decode(ClientResult.self, from: Data(line.utf8))
    }
}
