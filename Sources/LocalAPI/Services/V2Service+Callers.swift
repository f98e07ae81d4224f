import ClarifaiAPI
import GRPCCore
import Logging

/// The callers' side: each call becomes a job for a runner, and the runner's answers flow back as
/// they arrive. Every call ends with exactly one final answer; failures arrive as a Clarifai status
/// in the body, with gRPC OK, as the Clarifai API does.
extension V2Service {
    func postModelOutputs(
        request: ServerRequest<Clarifai_Api_PostModelOutputsRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiOutputResponse> {
        if let rejection = authenticator.rejection(for: request.metadata) {
            return ServerResponse(message: .failure(rejection))
        }
        let jobID = Self.newItemID()
        let (events, sink) = AsyncStream.makeStream(of: JobEvent.self)
        broker.submit(jobID: jobID, request: request.message, mode: .unaryUnary, sink: sink)
        let answer = await context.whileWatchingForPeerGone(onPeerGone: { [broker] in
            broker.callerCancelled(jobID: jobID)
        }) {
            for await event in events {
                switch event {
                case .output(let response): return response
                case .failed(let status): return .failure(status)
                }
            }
            return .failure(.make(.requestCanceledByUser, "The request was cancelled"))
        }
        // A no-op once the job is over; otherwise this handler was cancelled and the runner must stop.
        broker.callerCancelled(jobID: jobID)
        return ServerResponse(message: answer)
    }

    func generateModelOutputs(
        request: ServerRequest<Clarifai_Api_PostModelOutputsRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Clarifai_Api_MultiOutputResponse> {
        if let rejection = authenticator.rejection(for: request.metadata) {
            return StreamingServerResponse(single: ServerResponse(message: .failure(rejection)))
        }
        return StreamingServerResponse { [broker] writer in
            let jobID = Self.newItemID()
            let (events, sink) = AsyncStream.makeStream(of: JobEvent.self)
            broker.submit(jobID: jobID, request: request.message, mode: .unaryStreaming, sink: sink)
            await context.whileWatchingForPeerGone(onPeerGone: { broker.callerCancelled(jobID: jobID) }) {
                await Self.forward(events, to: writer)
            }
            broker.callerCancelled(jobID: jobID)
            return [:]
        }
    }

    func streamModelOutputs(
        request: StreamingServerRequest<Clarifai_Api_PostModelOutputsRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Clarifai_Api_MultiOutputResponse> {
        if let rejection = authenticator.rejection(for: request.metadata) {
            return StreamingServerResponse(single: ServerResponse(message: .failure(rejection)))
        }
        return StreamingServerResponse { [broker] writer in
            let jobID = Self.newItemID()
            let (events, sink) = AsyncStream.makeStream(of: JobEvent.self)
            await withTaskGroup(of: Void.self) { group in
                // The caller's messages: the first one becomes the job, the others follow it to the
                // runner, and the caller's half-close becomes the end-of-input marker.
                group.addTask {
                    var submitted = false
                    do {
                        for try await message in request.messages {
                            if submitted {
                                broker.callerInput(.message(message), jobID: jobID)
                            } else {
                                broker.submit(jobID: jobID, request: message, mode: .streamingStreaming, sink: sink)
                                submitted = true
                            }
                        }
                        if submitted { broker.callerInput(.end, jobID: jobID) } else { sink.finish() }
                    } catch {
                        if submitted { broker.callerCancelled(jobID: jobID) } else { sink.finish() }
                    }
                }
                await context.whileWatchingForPeerGone(onPeerGone: { broker.callerCancelled(jobID: jobID) }) {
                    await Self.forward(events, to: writer)
                }
                group.cancelAll()
            }
            broker.callerCancelled(jobID: jobID)
            return [:]
        }
    }

    /// Writes a job's outputs to a streaming caller as they arrive; a failure is written as a final
    /// status-only response. Returns when the job is over or the caller is gone.
    static func forward(
        _ events: AsyncStream<JobEvent>,
        to writer: RPCWriter<Clarifai_Api_MultiOutputResponse>
    ) async {
        for await event in events {
            switch event {
            case .output(let response):
                do { try await writer.write(response) } catch { return }
            case .failed(let status):
                try? await writer.write(.failure(status))
                return
            }
        }
    }
}
