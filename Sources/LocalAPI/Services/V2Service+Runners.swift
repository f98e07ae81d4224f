import ClarifaiAPI
import GRPCCore
import Logging
import NIOCore
import NIOPosix

/// The runners' side: `ProcessRunnerItems` (control and work streams), and the legacy polling path
/// `ListRunnerItems` / `PostRunnerItemOutputs`.
extension V2Service {
    func processRunnerItems(
        request: StreamingServerRequest<Clarifai_Api_PostRunnerItemOutputsRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Clarifai_Api_MultiRunnerItemResponse> {
        if let rejection = authenticator.rejection(for: request.metadata) {
            // One status answer, then the end: the runner backs off before its next stream.
            return StreamingServerResponse(
                single: ServerResponse(message: RunnerItems.response(status: rejection.code, rejection.description_p))
            )
        }
        return StreamingServerResponse { [broker, logger, configuration] writer in
            let (events, sink) = AsyncStream.makeStream(of: RunnerStreamEvent.self)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in request.messages {
                            sink.yield(.runnerMessage(message))
                        }
                        sink.yield(.runnerClosed)
                    } catch {
                        sink.yield(.runnerFailed("\(error)"))
                    }
                }
                var iterator = events.makeAsyncIterator()
                if case .runnerMessage(let handshake) = await iterator.next() {
                    if handshake.status.code != .runnerStreamStart {
                        logger.debug("Stream opened without a RUNNER_STREAM_START handshake", metadata: ["runner_id": "\(handshake.runnerID)"])
                    }
                    let streamWriter = RunnerStreamWriter(writer: writer)
                    if ControlStreamSession.isControl(handshake) {
                        let session = ControlStreamSession(broker: broker, logger: logger, writer: streamWriter, sink: sink)
                        await session.run(handshake: handshake, events: &iterator)
                    } else {
                        let session = WorkStreamSession(
                            broker: broker,
                            idleTimeout: configuration.idleStreamTimeout,
                            logger: logger,
                            writer: streamWriter,
                            sink: sink
                        )
                        await session.run(handshake: handshake, events: &iterator)
                    }
                }
                group.cancelAll()
            }
            sink.finish()
            return [:]
        }
    }

    func listRunnerItems(
        request: ServerRequest<Clarifai_Api_ListRunnerItemsRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiRunnerItemResponse> {
        if let rejection = authenticator.rejection(for: request.metadata) {
            return ServerResponse(message: RunnerItems.response(status: rejection.code, rejection.description_p))
        }
        let runnerID = request.message.runnerID
        let (deliveries, sink) = AsyncStream.makeStream(of: PollDelivery.self)
        let waiterID = broker.openPoll(runnerID: runnerID, sink: sink)
        defer {
            broker.closePoll(waiterID: waiterID)
            sink.finish()
        }
        let pollWait = configuration.pollWait
        let needsRetry = RunnerItems.response(
            status: .runnerNeedsRetry,
            "No work for \(BrokerState.format(pollWait)); poll again"
        )
        let cancellation = context.cancellation
        // An event-loop timer, freed when the poll is answered early; a cancelled Task.sleep would
        // hold its memory until the deadline, once per poll.
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(pollWait)) {
            sink.yield(.timeout)
        }
        defer { timer.cancel() }
        let response: Clarifai_Api_MultiRunnerItemResponse = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await cancellation.cancelled
                    sink.yield(.cancelled)
                } catch {}
            }
            defer { group.cancelAll() }
            var runnerGone = false
            for await delivery in deliveries {
                switch delivery {
                case .assigned(let assignment):
                    if runnerGone {
                        broker.returnUnsent(jobID: assignment.jobID)
                        return needsRetry
                    }
                    let item = RunnerItems.work(id: assignment.jobID, mode: assignment.mode, request: assignment.inputs[0])
                    return RunnerItems.response(with: item)
                case .item(let item):
                    if runnerGone {
                        broker.returnToMailbox(item, runnerID: runnerID)
                        return needsRetry
                    }
                    return RunnerItems.response(with: item)
                case .shutdown:
                    return RunnerItems.response(status: .runnerNeedsRetry, "The local API is shutting down")
                case .timeout, .cancelled:
                    if case .cancelled = delivery { runnerGone = true }
                    // If the poll is no longer a waiter, something was handed to it and comes next.
                    if broker.withdraw(waiterID: waiterID) { return needsRetry }
                }
            }
            return needsRetry
        }
        return ServerResponse(message: response)
    }

    func postRunnerItemOutputs(
        request: ServerRequest<Clarifai_Api_PostRunnerItemOutputsRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiRunnerItemOutputResponse> {
        var response = Clarifai_Api_MultiRunnerItemOutputResponse()
        if let rejection = authenticator.rejection(for: request.metadata) {
            response.status = rejection
            return ServerResponse(message: response)
        }
        let itemID = request.message.runnerItemID
        guard !itemID.isEmpty else {
            response.status = .make(.runnerInvalidArgument, "runner_item_id is required")
            return ServerResponse(message: response)
        }
        switch broker.apply(RunnerAnswer(request.message), jobID: itemID) {
        case .forwarded, .finished:
            response.status = .make(.success)
        case .unknownJob:
            // Success all the same: the runner did its part, and an error here would only make it retry.
            response.status = .make(
                .success,
                "No caller awaits item '\(itemID)' any more (answered, cancelled or timed out); the output was dropped"
            )
        }
        return ServerResponse(message: response)
    }

    func postRunnerReplicaTaskMetrics(
        request: ServerRequest<Clarifai_Api_PostRunnerReplicaTaskMetricsRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_Status_BaseResponse> {
        var response = Clarifai_Api_Status_BaseResponse()
        response.status = authenticator.rejection(for: request.metadata) ?? .make(.success)
        return ServerResponse(message: response)
    }
}
