import Foundation

/// Writes to stderr through `FileHandle`, which Swift 6 accepts as concurrency-safe.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Writes to stdout immediately, so that lines reach a pipe or the journal at once.
enum StandardOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
