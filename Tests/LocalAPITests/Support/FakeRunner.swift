import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2

/// A minimal runner written against the generated client, speaking the wire dialogue by hand so the
/// tests control every message.
enum FakeRunner {
    /// The handshake of a work stream (or of a control stream with `control: true`).
    static func handshake(runnerID: String, replicaID: String = "replica-1", control: Bool = false) -> Clarifai_Api_PostRunnerItemOutputsRequest {
        var message = Clarifai_Api_PostRunnerItemOutputsRequest()
        message.userAppID.userID = "user"
        message.nodepoolID = "local-runner-nodepool"
        message.computeClusterID = "local-runner-compute-cluster"
        message.runnerReplicaID = replicaID
        message.runnerID = control ? "control-\(runnerID)" : runnerID
        message.status.code = .runnerStreamStart
        message.status.description_p = control ? "Control connection" : "Success"
        return message
    }

    /// An answer for an item.
    static func answer(itemID: String, _ response: Clarifai_Api_MultiOutputResponse, runnerID: String = "r1") -> Clarifai_Api_PostRunnerItemOutputsRequest {
        var message = Clarifai_Api_PostRunnerItemOutputsRequest()
        message.runnerID = runnerID
        message.runnerItemID = itemID
        var output = Clarifai_Api_RunnerItemOutput()
        output.multiOutputResponse = response
        message.runnerItemOutputs = [output]
        message.status.code = .success
        return message
    }

    /// Opens one `ProcessRunnerItems` stream, sends its handshake and runs `body` with the stream.
    /// Returning from `body` before the server ended the call cancels it, like a runner that died.
    static func stream<Result: Sendable>(
        _ client: V2Client,
        runnerID: String = "r1",
        control: Bool = false,
        metadata: Metadata = Fixtures.auth,
        _ body: @escaping @Sendable (Stream) async throws -> Result
    ) async throws -> Result {
        let (outgoing, outbox) = AsyncStream.makeStream(of: Clarifai_Api_PostRunnerItemOutputsRequest.self)
        outbox.yield(handshake(runnerID: runnerID, control: control))
        let request = StreamingClientRequest<Clarifai_Api_PostRunnerItemOutputsRequest>(metadata: metadata) { writer in
            for await message in outgoing {
                try await writer.write(message)
            }
        }
        return try await client.processRunnerItems(request: request) { response in
            defer { outbox.finish() }
            return try await body(Stream(messages: response.messages, outbox: outbox))
        }
    }

    /// The runner's view of one stream.
    ///
    /// Only one task reads it (the test's runner body), hence the unchecked conformance.
    final class Stream: @unchecked Sendable {
        private var iterator: RPCAsyncSequence<Clarifai_Api_MultiRunnerItemResponse, any Error>.AsyncIterator
        private let outbox: AsyncStream<Clarifai_Api_PostRunnerItemOutputsRequest>.Continuation

        init(
            messages: RPCAsyncSequence<Clarifai_Api_MultiRunnerItemResponse, any Error>,
            outbox: AsyncStream<Clarifai_Api_PostRunnerItemOutputsRequest>.Continuation
        ) {
            self.iterator = messages.makeAsyncIterator()
            self.outbox = outbox
        }

        /// The server's next message, or `nil` once it ended the call.
        func next() async throws -> Clarifai_Api_MultiRunnerItemResponse? {
            try await iterator.next()
        }

        /// Sends a message to the server.
        func send(_ message: Clarifai_Api_PostRunnerItemOutputsRequest) {
            outbox.yield(message)
        }

        /// Half-closes the runner's side: the end of its outputs.
        func halfClose() {
            outbox.finish()
        }
    }
}
