import ClarifaiAPI
import Logging
import SwiftProtobuf

/// Serves one runner item to its final answer: validates it, dispatches it by
/// `runner_method_type` to the handler on model threads, and turns every outcome into answers.
///
/// Model failures never escape: they become failure statuses. Only a lost connection is thrown,
/// because then the item cannot be answered here.
struct ItemDispatcher: Sendable {
    let handler: any ModelHandler
    let messages: RunnerMessages
    let fetcher: InputFetcher
    let executor: ModelExecutor
    let registry: CancellationRegistry
    let metrics: RunnerMetrics
    let itemTimeout: Duration
    let streamInputTimeout: Duration
    let maxMessageBytes: Int
    let logger: Logger

    /// Serves `item`; `followUps` carries later input of a stream-stream call.
    func serve(_ item: Clarifai_Api_RunnerItem, followUps: AsyncStream<FollowUp>, send: @escaping AnswerSender) async throws {
        var logger = logger
        logger[metadataKey: "item_id"] = "\(item.id)"
        guard case .postModelOutputsRequest(let request)? = item.request else {
            let reason = UndecodableItem.reason(item) ?? "runner item carries no post_model_outputs_request"
            logger.warning("item carries no model request", metadata: ["reason": "\(reason)"])
            metrics.itemRejected(reason: "invalid")
            try await send(messages.processingFailed(itemID: item.id, description: reason))
            return
        }
        guard let mode = InferenceMode(item.processingInfo.runnerMethodType) else {
            let type = item.processingInfo.runnerMethodType
            logger.warning("unsupported runner method type", metadata: ["method_type": "\(type)"])
            metrics.itemRejected(reason: "invalid")
            try await send(messages.processingFailed(itemID: item.id, description: "unsupported runner_method_type \(type.rawValue)"))
            return
        }
        logger[metadataKey: "mode"] = "\(mode.rawValue)"

        let cancellation = ItemCancellation()
        var outputInfo = request.model.outputInfo
        outputInfo.params.fields.merge(request.model.modelVersion.outputInfo.params.fields) { _, version in version }
        let context = InferenceContext(
            itemID: item.id, mode: mode, model: request.model, outputInfo: outputInfo,
            cancellation: cancellation.flag, logger: logger
        )
        let gate = AnswerGate(send)
        let job = Job(dispatcher: self, itemID: item.id, request: request, context: context, cancellation: cancellation) { message in
            try await gate.send(message)
        }

        let started = ContinuousClock.now
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        let end = ItemEnd()
        let metrics = metrics
        let task = Task(executorPreference: executor) {
            metrics.itemStarted(mode: mode, waited: ContinuousClock.now - started)
            do {
                switch mode {
                case .predict: end.resolve(.finished(try await job.predict()))
                case .generate: end.resolve(.finished(try await job.generate()))
                case .stream: end.resolve(.finished(try await job.stream(followUps: followUps, inputTimeout: streamInputTimeout)))
                }
            } catch {
                end.resolve(.failed(error))
            }
        }
        let stopWatch = cancellation.onStop { end.resolve(.stopped) }
        registry.add(itemID: item.id, flag: cancellation.flag) { reason in
            cancellation.cancel(reason)
            task.cancel()
        }
        // Stream-stream calls may legitimately last long; their idle inputs are bounded instead.
        let timeout = itemTimeout
        let watchdog = mode == .stream ? nil : PromptTimer.schedule(after: timeout) {
            cancellation.cancel(.timeout(timeout))
            task.cancel()
        }
        defer {
            watchdog?.cancel()
            cancellation.removeOnStop(stopWatch)
            registry.remove(itemID: item.id)
        }
        let outcome = await withTaskCancellationHandler {
            await end.value()
        } onCancel: {
            cancellation.cancel(.shutdown)
            task.cancel()
        }
        let status: String
        switch outcome {
        case .finished(let label):
            status = label
        case .failed(let error):
            throw error
        case .stopped:
            // The handler may never return (a model stuck in native code), and its own task is
            // cancelled, so it could not send anyway: answer here, once, and leave it behind.
            status = try await answerStopped(item: item, mode: mode, request: request, cancellation: cancellation, gate: gate)
        }
        metrics.itemFinished(mode: mode, status: status, duration: ContinuousClock.now - started)
        logger.debug("item done", metadata: ["status": "\(status)"])
    }

    /// The final answer of an item the engine stopped: nothing for an item the API cancelled,
    /// otherwise a failure saying why (with a failed output per input for a unary item).
    private func answerStopped(
        item: Clarifai_Api_RunnerItem, mode: InferenceMode, request: Clarifai_Api_PostModelOutputsRequest,
        cancellation: ItemCancellation, gate: AnswerGate
    ) async throws -> String {
        guard !cancellation.answersDropped else { return "cancelled" }
        let description = cancellation.describe(CancellationError())
        var response = Clarifai_Api_MultiOutputResponse()
        response.status = .init(code: mode == .stream ? .runnerProcessingFailed : .failure, description: description)
        if mode == .predict {
            response.outputs = request.inputs.map {
                StatusRules.failedOutput(for: $0, error: ModelHandlerError.failed(description))
            }
        }
        logger.warning("item stopped", metadata: ["reason": "\(description)"])
        do {
            try await gate.close(with: messages.answer(itemID: item.id, response: response))
        } catch let error as ConnectionLost {
            throw error
        } catch {
            throw ConnectionLost(underlying: error)
        }
        return "failure"
    }

    /// Checks a handler's output: fills in what it may leave out, and fails outputs too large to send.
    func finalize(_ output: Clarifai_Api_Output, for input: Clarifai_Api_Input) -> Clarifai_Api_Output {
        var output = output
        if output.status.code == .zero { output.status = .init(code: .success, description: "Ok") }
        if output.input.id.isEmpty { output.input.id = input.id }
        if let size = try? output.serializedBytes() as [UInt8], size.count > maxMessageBytes {
            return StatusRules.failedOutput(
                for: input,
                error: ModelHandlerError.failed("output is \(size.count) bytes, over the \(maxMessageBytes)-byte limit")
            )
        }
        return output
    }
}
