import ClarifaiAPI
import GRPCCore
import GRPCProtobuf
import Logging

/// The legacy path: one `ListRunnerItems` long poll, and the item it brings served through
/// `PostRunnerItemOutputs`. See docs/wire-dialogue.md.
struct PollWork: Sendable {
    let context: EngineContext
    let sessions: PollSessions

    /// One poll. Unlike a stream, a poll in progress is left to finish during the drain (the API
    /// answers within its wait), so an item it brings is still served.
    func run(signal: StreamStartSignal) async {
        let response: Clarifai_Api_MultiRunnerItemResponse
        do {
            var options = context.callOptions
            options.timeout = context.configuration.pollTimeout
            response = try await context.api.listRunnerItems(
                request: ClientRequest(message: context.messages.listItemsRequest(), metadata: context.metadata(requestIDPrefix: "runner-p")),
                serializer: ProtobufSerializer(), deserializer: RunnerItemsDeserializer(), options: options
            )
        } catch {
            signal.resolve(.failed(error))
            return
        }
        context.state.streamOpened()
        guard !response.runnerItems.isEmpty else {
            let code = response.status.code
            signal.resolve(code == .runnerNeedsRetry || code == .success ? .retryNow : .refused(response.status))
            return
        }
        signal.resolve(.gotWork)
        await withDiscardingTaskGroup { group in
            for item in response.runnerItems where !route(item) {
                // Opened here, before any later poll can bring this stream's follow-ups.
                let isStream = InferenceMode(item.processingInfo.runnerMethodType) == .stream
                let followUps = isStream ? sessions.open(item.id) : nil
                group.addTask { await serve(item, followUps: followUps) }
            }
        }
    }

    /// Handles cancellations and follow-ups of running streams at once, in the order received;
    /// returns false for an item that starts new work.
    private func route(_ item: Clarifai_Api_RunnerItem) -> Bool {
        let code = item.processingInfo.status.code
        if code == .runnerItemCancelled {
            let found = context.registry.cancel(itemID: item.id)
            context.logger.info("API cancelled an item", metadata: ["item_id": "\(item.id)", "in_flight_here": "\(found)"])
            return true
        }
        let sequence = Self.sequence(item)
        if code == .runnerStreamEnd, sessions.deliver(.endOfInput, sequence: sequence, to: item.id) { return true }
        if case .postModelOutputsRequest(let request)? = item.request,
           sessions.deliver(.inputs(request), sequence: sequence, to: item.id) {
            return true
        }
        if let reason = UndecodableItem.reason(item), sessions.deliver(.undecodable(reason), sequence: sequence, to: item.id) {
            return true
        }
        return false
    }

    /// The follow-up number in `processing_id` ("seq-N"), if any.
    static func sequence(_ item: Clarifai_Api_RunnerItem) -> Int? {
        let id = item.processingInfo.processingID
        guard id.hasPrefix("seq-") else { return nil }
        return Int(id.dropFirst(4))
    }

    private func serve(_ item: Clarifai_Api_RunnerItem, followUps: AsyncStream<FollowUp>?) async {
        let mode = InferenceMode(item.processingInfo.runnerMethodType)
        defer { if followUps != nil { sessions.close(item.id) } }
        let post: AnswerSender = { message in try await postOutputs(message) }
        do {
            try await context.dispatcher.serve(item, followUps: followUps ?? AsyncStream { $0.finish() }, send: post)
            if mode == .generate || mode == .stream {
                try await post(context.messages.endOfOutputs(itemID: item.id))
            }
        } catch {
            context.logger.warning(
                "could not answer an item; the API will reassign or fail it",
                metadata: ["item_id": "\(item.id)", "error": "\(ErrorDescription.sanitize(String(describing: error)))"]
            )
        }
    }

    private func postOutputs(_ message: Clarifai_Api_PostRunnerItemOutputsRequest) async throws {
        let response: Clarifai_Api_MultiRunnerItemOutputResponse
        do {
            response = try await context.api.postRunnerItemOutputs(
                message, metadata: context.metadata(requestIDPrefix: "runner-p"), options: context.callOptions
            )
        } catch {
            throw ConnectionLost(underlying: error)
        }
        guard response.status.code == .success || response.status.code == .zero else {
            throw ConnectionLost(underlying: APIRefusal(status: response.status))
        }
    }
}

/// The API answered a runner call with an error status.
struct APIRefusal: Error, CustomStringConvertible {
    let status: Clarifai_Api_Status_Status
    var description: String { "API answered \(status.code) (\(status.code.rawValue)): \(status.description_p)" }
}
