import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2
import RunnerKit

/// A caller of the three model RPCs, as an API client would make them. Every path measured here
/// (the bare echo server, the local API in front of a runner) serves the same RPCs, so one caller
/// drives them all and the bytes on the wire are the same.
struct ModelCaller: Sendable {
    let api: Clarifai_Api_V2.Client<HTTP2ClientTransport.Posix>
    /// Generous for one call, yet short enough that a stuck call cannot hold a run for long.
    static let options = CallOptions.oneOff(timeout: .seconds(20))

    /// Connects to 127.0.0.1:`port` for the duration of `body`; all callers share one connection.
    static func with<R: Sendable>(port: Int, _ body: (ModelCaller) async throws -> R) async throws -> R {
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port),
            transportSecurity: .plaintext
        )
        return try await withGRPCClient(transport: transport) { client in
            try await body(ModelCaller(api: Clarifai_Api_V2.Client(wrapping: client)))
        }
    }

    /// One unary call; a non-success answer counts as a failure.
    func predict() async throws {
        let response = try await api.postModelOutputs(Workload.unaryRequest, metadata: Workload.metadata, options: Self.options)
        guard response.status.code == .success, response.outputs.count == 1 else {
            throw BenchError("unary answer \(response.status.code): \(response.status.description_p)")
        }
    }

    /// `callers` closed-loop unary callers.
    /// `cpuClock` says whose CPU time to charge the calls to; by default this process's.
    func unaryLoad(
        callers: Int, warmup: Duration, duration: Duration,
        cpuClock: @escaping @Sendable () -> Double? = { CPUClock.selfMilliseconds() }
    ) async -> LoadResult {
        await ClosedLoopLoad.run(callers: callers, warmup: warmup, duration: duration, cpuClock: cpuClock) { try await predict() }
    }

    /// `callers` stream-stream calls held open at once, each sending one message and waiting for
    /// its echo before the next: the latencies are round trips of one message.
    func streamLoad(callers: Int, warmup: Duration, duration: Duration) async -> LoadResult {
        let cpuBefore = CPUClock.selfMilliseconds()
        let recorder = LatencyRecorder(window: MeasurementWindow(warmup: warmup, measured: duration))
        await withDiscardingTaskGroup { group in
            for _ in 0..<callers {
                group.addTask {
                    do {
                        try await pingPong(recorder: recorder)
                    } catch {
                        recorder.fail()
                    }
                }
            }
        }
        return recorder.result(callers: callers, cpuMilliseconds: CPUClock.selfMilliseconds() - cpuBefore)
    }

    private func pingPong(recorder: LatencyRecorder) async throws {
        let (echoes, echoSink) = AsyncStream.makeStream(of: Int.self)
        let request = StreamingClientRequest<Clarifai_Api_PostModelOutputsRequest>(metadata: Workload.metadata) { writer in
            var replies = echoes.makeAsyncIterator()
            while !recorder.window.isOver {
                let start = ContinuousClock.now
                try await writer.write(Workload.unaryRequest)
                guard let outputs = await replies.next() else { throw BenchError("stream ended before its echo") }
                guard outputs == 1 else { throw BenchError("stream echo carried \(outputs) outputs") }
                recorder.record(since: start)
            }
        }
        try await api.streamModelOutputs(request: request, options: Self.options) { response in
            defer { echoSink.finish() }
            for try await message in response.messages {
                echoSink.yield(message.status.code == .success ? message.outputs.count : -1)
            }
        }
    }

    /// Sequential generate calls of ``Workload/generateOutputs`` outputs each, until `duration`
    /// has passed (at least `minimumCalls`, at most `maximumCalls`).
    func generateLoad(duration: Duration, minimumCalls: Int = 1, maximumCalls: Int = 50) async -> GenerateResult {
        let deadline = ContinuousClock.now + duration
        var rates: [Double] = []
        var firsts: [Double] = []
        var errors = 0
        var calls = 0
        while calls < maximumCalls, calls < minimumCalls || ContinuousClock.now < deadline {
            calls += 1
            let start = ContinuousClock.now
            do {
                let (count, first) = try await api.generateModelOutputs(
                    Workload.generateRequest, metadata: Workload.metadata, options: Self.options
                ) { response in
                    var count = 0
                    var first: ContinuousClock.Instant?
                    for try await message in response.messages {
                        guard message.status.code == .success else { throw BenchError("generate answer \(message.status.code)") }
                        if first == nil { first = .now }
                        count += message.outputs.count
                    }
                    return (count, first ?? .now)
                }
                let total = ContinuousClock.now - start
                guard count == Workload.generateOutputs else { throw BenchError("generate gave \(count) outputs") }
                rates.append(Double(count) / total.seconds)
                firsts.append((first - start).seconds * 1000)
            } catch {
                errors += 1
            }
        }
        return GenerateResult(
            outputsPerCall: Workload.generateOutputs, calls: rates.count,
            outputsPerSecond: Self.median(rates), firstOutputMs: Self.median(firsts), errors: errors
        )
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}

/// A benchmark step that could not run as intended; the message is shown to the reader.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
