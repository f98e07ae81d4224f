import ClarifaiAPI
import GRPCCore
import GRPCProtobuf
import Logging

/// One `ProcessRunnerItems` call, following the dialogue: handshake, wait for one item, serve it
/// on the same stream, half-close. See docs/wire-dialogue.md.
struct WorkStream: Sendable {
    /// What the response side hands to the request side before any item.
    private enum Inbound: Sendable {
        case item(Clarifai_Api_RunnerItem)
        case status(Clarifai_Api_Status_Status)
        case drain
    }

    let context: EngineContext
    /// How long to wait for the API to end the call after the runner half-closed.
    var closeGrace: Duration = .seconds(10)

    func run(signal: StreamStartSignal, workDone: @escaping @Sendable () -> Void = {}) async {
        let (inbox, inboxContinuation) = AsyncStream<Inbound>.makeStream()
        let (followUps, followUpContinuation) = AsyncStream<FollowUp>.makeStream()
        let halfClosed = DrainSignal()
        let grace = closeGrace
        let deadline = OpenDeadline(timeout: context.configuration.streamOpenTimeout)
        let request = StreamingClientRequest<Clarifai_Api_PostRunnerItemOutputsRequest>(
            metadata: context.metadata(requestIDPrefix: "runner")
        ) { writer in
            defer {
                halfClosed.begin()
                workDone()
            }
            try await produce(deadline: deadline, writer: writer, inbox: inbox, drainInbox: inboxContinuation, followUps: followUps, signal: signal)
        }
        do {
            try await deadline.run(drain: context.drain) {
            try await context.api.processRunnerItems(
                request: request, serializer: ProtobufSerializer(), deserializer: RunnerItemsDeserializer(),
                options: context.callOptions
            ) { response in
                defer {
                    inboxContinuation.finish()
                    followUpContinuation.finish()
                }
                // The API ends the call after the half-close; a peer that never does must not pin the stream.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await route(response.messages, inbox: inboxContinuation, followUps: followUpContinuation)
                    }
                    group.addTask {
                        await halfClosed.wait()
                        try await PromptTimer.sleep(for: grace)
                        throw CloseTimeout()
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
            }
            // Ended before saying anything: a failure, so a peer that closes at once gets backoff, not a hot loop.
            signal.resolve(.failed(StreamEndedEarly()))
        } catch {
            signal.resolve(.failed(error))
        }
    }

    /// The request side: the handshake, then one job, then the half-close (by returning).
    private func produce(
        deadline: OpenDeadline,
        writer: RPCWriter<Clarifai_Api_PostRunnerItemOutputsRequest>,
        inbox: AsyncStream<Inbound>,
        drainInbox: AsyncStream<Inbound>.Continuation,
        followUps: AsyncStream<FollowUp>,
        signal: StreamStartSignal
    ) async throws {
        try await writer.write(context.messages.workHandshake())
        deadline.opened()
        context.state.streamOpened()
        var iterator = inbox.makeAsyncIterator()
        context.metrics.streamsWaiting.increment()
        let idle = context.drain.registerIdle { drainInbox.yield(.drain) }
        let first = await iterator.next()
        context.drain.unregisterIdle(idle)
        context.metrics.streamsWaiting.decrement()
        switch first {
        case nil:
            return
        case .drain?:
            signal.resolve(.drained)
        case .status(let status)?:
            if status.code == .runnerNeedsRetry || status.code == .success {
                signal.resolve(.retryNow)
            } else {
                signal.resolve(.refused(status))
            }
        case .item(let item)?:
            signal.resolve(.gotWork)
            let sender = SerialSender(writer: writer)
            try await context.dispatcher.serve(item, followUps: followUps) { message in
                try await sender.send(message)
            }
        }
    }

    /// The response side: the first message goes to the request side; later ones are a
    /// stream-stream call's further input, or its end.
    private func route(
        _ messages: RPCAsyncSequence<Clarifai_Api_MultiRunnerItemResponse, any Error>,
        inbox: AsyncStream<Inbound>.Continuation,
        followUps: AsyncStream<FollowUp>.Continuation
    ) async throws {
        var currentItem: String?
        for try await message in messages {
            guard let itemID = currentItem else {
                if let item = message.runnerItems.first {
                    if message.runnerItems.count > 1 {
                        context.logger.warning("API sent several items at once; serving the first", metadata: ["count": "\(message.runnerItems.count)"])
                    }
                    currentItem = item.id
                    inbox.yield(.item(item))
                } else {
                    inbox.yield(.status(message.status))
                }
                continue
            }
            if message.runnerItems.isEmpty {
                if message.status.code == .runnerStreamEnd {
                    followUps.yield(.endOfInput)
                } else if message.status.code != .success {
                    context.logger.notice("status during item", metadata: ["item_id": "\(itemID)", "code": "\(message.status.code)"])
                }
                continue
            }
            for item in message.runnerItems {
                guard item.id == itemID else {
                    context.logger.warning("ignoring an unrelated item on a busy stream", metadata: ["item_id": "\(item.id)", "busy_with": "\(itemID)"])
                    continue
                }
                if case .postModelOutputsRequest(let request)? = item.request {
                    followUps.yield(.inputs(request))
                } else if let reason = UndecodableItem.reason(item) {
                    followUps.yield(.undecodable(reason))
                } else if item.processingInfo.status.code == .runnerStreamEnd {
                    followUps.yield(.endOfInput)
                }
            }
        }
    }
}


/// The API did not end a call within the grace period after the runner half-closed.
struct CloseTimeout: Error, CustomStringConvertible {
    var description: String { "the API did not end the stream after the runner's half-close" }
}

/// The API ended a work stream without sending anything.
struct StreamEndedEarly: Error, CustomStringConvertible {
    var description: String { "the API ended a work stream without an answer" }
}
