import ClarifaiAPI
import Logging

extension ItemDispatcher {
    /// One item being served: the three modes share its sending and failure rules.
    struct Job: Sendable {
        let dispatcher: ItemDispatcher
        let itemID: String
        let request: Clarifai_Api_PostModelOutputsRequest
        let context: InferenceContext
        let cancellation: ItemCancellation
        let send: AnswerSender

        var handler: any ModelHandler { dispatcher.handler }

        /// Sends one response for the item, unless the API cancelled it.
        func answer(_ response: Clarifai_Api_MultiOutputResponse) async throws {
            guard !cancellation.answersDropped else { throw CancellationError() }
            do {
                try await send(dispatcher.messages.answer(itemID: itemID, response: response))
            } catch let error as ConnectionLost {
                throw error
            } catch {
                throw ConnectionLost(underlying: error)
            }
        }

        func answerFailure(_ code: Clarifai_Api_Status_StatusCode, _ description: String) async throws {
            var response = Clarifai_Api_MultiOutputResponse()
            response.status = .init(code: code, description: description)
            try await answer(response)
        }

        /// Runs `body`; a handler failure is logged once and answered with `code`. Returns the status label.
        func guarded(failureCode: Clarifai_Api_Status_StatusCode, _ body: () async throws -> Void) async throws -> String {
            do {
                try await body()
                return "success"
            } catch let error as ConnectionLost {
                throw error
            } catch {
                if cancellation.answersDropped {
                    context.logger.info("item cancelled by the API")
                    return "cancelled"
                }
                let description = cancellation.describe(error)
                dispatcher.metrics.handlerErrors.increment()
                context.logger.warning("handler failed", metadata: ["error": "\(description)"])
                try await answerFailure(failureCode, description)
                return "failure"
            }
        }

        // MARK: Unary

        func predict() async throws -> String {
            let inputs = request.inputs
            guard !inputs.isEmpty else {
                try await answerFailure(.failure, "request has no inputs")
                return "failure"
            }
            let outputs: [Clarifai_Api_Output]
            switch handler.unaryBatching {
            case .perInput(let limit):
                outputs = await runEach(inputs, limit: max(1, limit))
            case .wholeBatch:
                outputs = await runBatch(inputs)
            }
            if cancellation.answersDropped {
                context.logger.info("item cancelled by the API")
                return "cancelled"
            }
            var response = Clarifai_Api_MultiOutputResponse()
            response.outputs = outputs
            response.status = StatusRules.aggregate(outputs)
            try await answer(response)
            return response.status.code == .success ? "success" : response.status.code == .mixedStatus ? "mixed" : "failure"
        }

        private func runOne(_ input: Clarifai_Api_Input) async -> Clarifai_Api_Output {
            do {
                try Task.checkCancellation()
                let ready = try await dispatcher.fetcher.resolve(input)
                let output = try await handler.runInput(ready, context: context)
                return dispatcher.finalize(output, for: input)
            } catch {
                dispatcher.metrics.handlerErrors.increment()
                let failed = StatusRules.failedOutput(for: input, error: error)
                return cancellation.current == nil ? failed : relabel(failed, error)
            }
        }

        private func relabel(_ output: Clarifai_Api_Output, _ error: any Error) -> Clarifai_Api_Output {
            var output = output
            output.status.description_p = cancellation.describe(error)
            return output
        }

        /// One call per input, at most `limit` at once, answers in input order.
        private func runEach(_ inputs: [Clarifai_Api_Input], limit: Int) async -> [Clarifai_Api_Output] {
            if inputs.count == 1 { return [await runOne(inputs[0])] }
            return await withTaskGroup(of: (Int, Clarifai_Api_Output).self) { group in
                var outputs = [Clarifai_Api_Output?](repeating: nil, count: inputs.count)
                var next = 0
                while next < min(limit, inputs.count) {
                    let index = next
                    group.addTask { (index, await runOne(inputs[index])) }
                    next += 1
                }
                while let (index, output) = await group.next() {
                    outputs[index] = output
                    if next < inputs.count {
                        let index = next
                        group.addTask { (index, await runOne(inputs[index])) }
                        next += 1
                    }
                }
                return outputs.map { $0! }
            }
        }

        /// One call for the inputs that could be prepared; the others fail alone.
        private func runBatch(_ inputs: [Clarifai_Api_Input]) async -> [Clarifai_Api_Output] {
            var outputs = [Clarifai_Api_Output?](repeating: nil, count: inputs.count)
            var ready: [(Int, Clarifai_Api_Input)] = []
            for (index, input) in inputs.enumerated() {
                do {
                    ready.append((index, try await dispatcher.fetcher.resolve(input)))
                } catch {
                    outputs[index] = StatusRules.failedOutput(for: input, error: error)
                }
            }
            if !ready.isEmpty {
                do {
                    let results = try await handler.runBatch(ready.map(\.1), context: context)
                    guard results.count == ready.count else {
                        throw ModelHandlerError.failed("model returned \(results.count) outputs for \(ready.count) inputs")
                    }
                    for ((index, _), output) in zip(ready, results) {
                        outputs[index] = dispatcher.finalize(output, for: inputs[index])
                    }
                } catch {
                    dispatcher.metrics.handlerErrors.increment()
                    for (index, _) in ready {
                        outputs[index] = relabel(StatusRules.failedOutput(for: inputs[index], error: error), error)
                    }
                }
            }
            return outputs.map { $0! }
        }

        // MARK: Generate

        func generate() async throws -> String {
            guard !request.inputs.isEmpty else {
                try await answerFailure(.failure, "request has no inputs")
                return "failure"
            }
            return try await guarded(failureCode: .failure) {
                for input in request.inputs {
                    let ready = try await dispatcher.fetcher.resolve(input)
                    try await handler.generate(ready, context: context, output: writer(for: input))
                }
            }
        }

        /// A writer that sends each output as its own response, in order.
        func writer(for input: Clarifai_Api_Input) -> OutputWriter {
            OutputWriter { output in
                let finalized = dispatcher.finalize(output, for: input)
                var response = Clarifai_Api_MultiOutputResponse()
                response.outputs = [finalized]
                response.status = finalized.status.code == .success
                    ? .init(code: .success, description: "Ok")
                    : .init(code: .failure, description: finalized.status.description_p)
                try await answer(response)
            }
        }

        // MARK: Stream

        func stream(followUps: AsyncStream<FollowUp>, inputTimeout: Duration) async throws -> String {
            let (inputs, continuation) = InputStream.makeStream()
            let feeder = InputFeeder(
                first: request, followUps: followUps, continuation: continuation,
                fetcher: dispatcher.fetcher, idleTimeout: inputTimeout
            )
            let feeding = Task { await feeder.run() }
            defer { feeding.cancel() }
            return try await guarded(failureCode: .runnerProcessingFailed) {
                let output = writer(for: request.inputs.first ?? Clarifai_Api_Input())
                try await handler.stream(inputs, context: context, output: output)
            }
        }
    }
}
