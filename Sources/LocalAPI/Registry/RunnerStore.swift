import ClarifaiAPI
import Foundation
import SwiftProtobuf

/// Keeps runner records in a JSON file, in the Clarifai JSON shape (proto field names), so the file
/// can be read and edited with the same tools as the API's HTTP+JSON channel.
struct RunnerStore: Sendable {
    /// The file's path.
    let path: String

    /// Reads the records; a missing file means none.
    func load() throws -> [Clarifai_Api_Runner] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        if data.isEmpty { return [] }
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = true
        return try Clarifai_Api_MultiRunnerResponse(jsonUTF8Data: data, options: options).runners
    }

    /// Writes the records, atomically so a crash never leaves half a file.
    func save(_ runners: [Clarifai_Api_Runner]) throws {
        var container = Clarifai_Api_MultiRunnerResponse()
        container.runners = runners
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        let data = try container.jsonUTF8Data(options: options)
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try data.write(to: url, options: .atomic)
    }
}
