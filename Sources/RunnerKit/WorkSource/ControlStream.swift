import ClarifaiAPI
import GRPCCore
import GRPCProtobuf
import Logging

/// The control stream: one per runner, it only listens, for cancellations of items in flight.
struct ControlStream: Sendable {
    let context: EngineContext

    /// Keeps a control stream open until the drain, reconnecting with backoff.
    func run() async {
        var delays = context.configuration.backoff.delays()
        // Cancellation (the escalation past graceful shutdown) ends the loop too, or a failing
        // attempt would spin.
        while !context.drain.isDraining, !Task.isCancelled {
            let outcome = await openOnce()
            switch outcome {
            case .retryNow, .gotWork:
                delays.reset()
            case .drained:
                return
            case .refused, .failed:
                await context.drain.sleep(for: delays.next()!)
            }
        }
    }

    private func openOnce() async -> StreamStart {
        let signal = StreamStartSignal()
        let drain = context.drain
        let opened = ContinuousClock.now
        let deadline = OpenDeadline(timeout: context.configuration.streamOpenTimeout)
        let request = StreamingClientRequest<Clarifai_Api_PostRunnerItemOutputsRequest>(
            metadata: context.metadata(requestIDPrefix: "runner-control")
        ) { writer in
            try await writer.write(context.messages.controlHandshake())
            deadline.opened()
            // Listen until the drain; returning half-closes the stream.
            await drain.wait()
        }
        do {
            try await deadline.run(drain: context.drain) {
                try await context.api.processRunnerItems(
                request: request, serializer: ProtobufSerializer(), deserializer: RunnerItemsDeserializer(),
                options: context.callOptions
            ) { response in
                    for try await message in response.messages {
                        guard !handle(message, signal: signal) else { return }
                    }
                }
            }
        } catch {
            signal.resolve(.failed(error))
        }
        // A stream that lived a while was healthy; one closed at once must back off, not spin.
        let lived = ContinuousClock.now - opened > .seconds(10)
        signal.resolve(drain.isDraining ? .drained : lived ? .retryNow : .failed(StreamEndedEarly()))
        return await signal.wait()
    }

    /// Handles one message; returns true when the stream should be reopened.
    private func handle(_ message: Clarifai_Api_MultiRunnerItemResponse, signal: StreamStartSignal) -> Bool {
        for item in message.runnerItems {
            guard let reason = UndecodableItem.reason(item) else { continue }
            // Its status (a cancellation, most likely) was lost with the rest of the message.
            context.logger.warning("undecodable message on the control stream", metadata: ["item_id": "\(item.id)", "reason": "\(reason)"])
        }
        for item in message.runnerItems where item.processingInfo.status.code == .runnerItemCancelled {
            let found = context.registry.cancel(itemID: item.id)
            context.logger.info("API cancelled an item", metadata: ["item_id": "\(item.id)", "in_flight_here": "\(found)"])
        }
        guard message.runnerItems.isEmpty else { return false }
        switch message.status.code {
        case .runnerNeedsRetry, .success:
            signal.resolve(.retryNow)
            return true
        case .runnerItemCancelled:
            return false
        default:
            signal.resolve(.refused(message.status))
            return true
        }
    }
}
