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
            logger.warning("item carries no model request")
            metrics.itemRejected(reason: "invalid")
            try await send(messages.processingFailed(itemID: item.id, description: "runner item carries no post_model_outputs_request"))
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
        let job = Job(dispatcher: self, itemID: item.id, request: request, context: context, cancellation: cancellation, send: send)

        let started = ContinuousClock.now
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        let task = Task(executorPreference: executor) { () async throws -> String in
            switch mode {
            case .predict: try await job.predict()
            case .generate: try await job.generate()
            case .stream: try await job.stream(followUps: followUps, inputTimeout: streamInputTimeout)
            }
        }
        registry.add(itemID: item.id, flag: cancellation.flag) {
            cancellation.cancel(.api)
            task.cancel()
        }
        // Stream-stream calls may legitimately last long; their idle inputs are bounded instead.
        let timeout = itemTimeout
        let watchdog: Task<Void, Never>? = mode == .stream ? nil : Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            cancellation.cancel(.timeout(timeout))
            task.cancel()
        }
        defer {
            watchdog?.cancel()
            registry.remove(itemID: item.id)
        }
        let status = try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            cancellation.cancel(.shutdown)
            task.cancel()
        }
        metrics.itemFinished(mode: mode, status: status, duration: ContinuousClock.now - started)
        logger.debug("item done", metadata: ["status": "\(status)"])
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
