import ClarifaiAPI

/// Sends the outputs of a generate or stream-stream call to the caller, in order.
///
/// ``write(_:)`` suspends while the connection is busy, so a fast producer is slowed to the
/// caller's pace instead of buffering without bound.
public struct OutputWriter: Sendable {
    private let sink: @Sendable (Clarifai_Api_Output) async throws -> Void

    /// Creates a writer that hands each output to `sink`.
    public init(_ sink: @escaping @Sendable (Clarifai_Api_Output) async throws -> Void) {
        self.sink = sink
    }

    /// Sends one output. Throws when the item was cancelled or the connection is gone.
    public func write(_ output: Clarifai_Api_Output) async throws {
        try await sink(output)
    }
}
