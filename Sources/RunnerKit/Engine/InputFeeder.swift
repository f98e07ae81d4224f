import ClarifaiAPI
import Synchronization

/// Feeds a stream-stream handler: the first request's inputs, then each follow-up's, until the
/// caller's end of input. A caller that goes silent longer than the idle timeout ends the input
/// with an error, so a stream that never ends cannot hold a runner slot forever.
struct InputFeeder: Sendable {
    let first: Clarifai_Api_PostModelOutputsRequest
    let followUps: AsyncStream<FollowUp>
    let continuation: InputStream.Continuation
    let fetcher: InputFetcher
    let idleTimeout: Duration

    func run() async {
        let lastActivity = Mutex(ContinuousClock.now)
        let idleTimeout = idleTimeout
        let continuation = continuation
        let watchdog = Task {
            while !Task.isCancelled {
                let deadline = lastActivity.withLock { $0 } + idleTimeout
                if ContinuousClock.now >= deadline {
                    continuation.finish(throwing: ModelHandlerError.invalidInput(
                        "no stream input for \(Int(idleTimeout.seconds)) s; ending the stream"))
                    return
                }
                try? await PromptTimer.sleep(for: deadline - .now)
            }
        }
        defer { watchdog.cancel() }
        do {
            var fed = try await yield(first)
            for await followUp in followUps {
                lastActivity.withLock { $0 = .now }
                switch followUp {
                case .inputs(let request):
                    fed += try await yield(request)
                case .undecodable(let reason):
                    throw ModelHandlerError.invalidInput(reason)
                case .endOfInput:
                    // A stream with no input at all would end with no answer, which a caller cannot
                    // tell from a lost one: fail it as predict and generate do.
                    guard fed > 0 else { throw ModelHandlerError.invalidInput("the stream carried no inputs") }
                    continuation.finish()
                    return
                }
            }
            // The API went away before ending the input.
            continuation.finish(throwing: ModelHandlerError.failed("stream input ended without an end marker"))
        } catch {
            continuation.finish(throwing: error)
        }
    }

    /// Feeds the request's inputs; returns how many.
    private func yield(_ request: Clarifai_Api_PostModelOutputsRequest) async throws -> Int {
        for input in request.inputs {
            continuation.yield(try await fetcher.resolve(input))
        }
        return request.inputs.count
    }
}
