import ClarifaiAPI
import RunnerKit
import Synchronization

/// Fails inputs whose text is "fail", upper-cases the rest.
struct PartlyFailingHandler: ModelHandler {
    func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        if input.data.text.raw == "fail" { throw ModelHandlerError.failed("asked to fail") }
        return .text(input.data.text.raw.uppercased())
    }
}

/// Only predict; the other modes are left to the protocol's defaults.
struct PredictOnlyHandler: ModelHandler {
    func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        .text("ok")
    }
}

/// Blocks each call until `parties` calls have arrived, proving they ran at the same time.
/// Blocking (not awaiting) also proves handlers run off the cooperative pool: with two cores,
/// three blocked cooperative threads would stall the whole process.
final class BarrierHandler: ModelHandler {
    let parties: Int
    let timeout: Duration
    private let arrived = Mutex(0)
    private let inside = Mutex(0)
    let maxSeen = Mutex(0)

    init(parties: Int, timeout: Duration = .seconds(15)) {
        self.parties = parties
        self.timeout = timeout
    }

    func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        let count = arrived.withLock { value -> Int in value += 1; return value }
        let now = inside.withLock { value -> Int in value += 1; return value }
        defer { inside.withLock { $0 -= 1 } }
        maxSeen.withLock { $0 = max($0, now) }
        let deadline = ContinuousClock.now + timeout
        while arrived.withLock({ $0 }) < parties {
            guard ContinuousClock.now < deadline else { throw ModelHandlerError.failed("barrier timed out at \(count)") }
            usleep(5_000)
        }
        return .text("through")
    }
}

/// Takes `delay` per input, and records when a call started.
final class SlowHandler: ModelHandler {
    let delay: Duration
    let started = Mutex(0)

    init(delay: Duration) { self.delay = delay }

    func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        started.withLock { $0 += 1 }
        try await Task.sleep(for: delay)
        return .text(input.data.text.raw.uppercased())
    }
}

#if canImport(Glibc)
import Glibc
#endif
