import ClarifaiAPI
import GRPCCore

/// Serialises writes to one stream: a stream-stream handler may write from several tasks, and a
/// gRPC writer takes one message at a time.
struct SerialSender: Sendable {
    let writer: RPCWriter<Clarifai_Api_PostRunnerItemOutputsRequest>
    private let lock = AsyncSemaphore(permits: 1)

    init(writer: RPCWriter<Clarifai_Api_PostRunnerItemOutputsRequest>) {
        self.writer = writer
    }

    func send(_ message: Clarifai_Api_PostRunnerItemOutputsRequest) async throws {
        try await lock.acquire()
        defer { lock.release() }
        do {
            try await writer.write(message)
        } catch {
            throw ConnectionLost(underlying: error)
        }
    }
}
