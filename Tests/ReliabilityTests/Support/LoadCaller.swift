import ClarifaiAPI
import GRPCCore
import GRPCNIOTransportHTTP2

/// A caller of the local API that judges every answer: each call returns exactly one ``Outcome``.
///
/// Calls do not wait for a connection (`waitForReady` off), so an API that is down is a clear
/// failure at once, and every call carries a deadline: past it, the call is `hung`.
struct LoadCaller: Sendable {
    let api: Clarifai_Api_V2.Client<HTTP2ClientTransport.Posix>
    var deadline: Duration = .seconds(20)

    static func with<R: Sendable>(port: Int, _ body: (LoadCaller) async throws -> R) async throws -> R {
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext,
            config: .defaults { $0.backoff = .init(initial: .milliseconds(100), max: .seconds(1), multiplier: 1.6, jitter: 0.1) }
        )
        return try await withGRPCClient(transport: transport) { client in
            try await body(LoadCaller(api: Clarifai_Api_V2.Client(wrapping: client)))
        }
    }

    var metadata: Metadata { ["authorization": .string("Key \(Deployment.pat)")] }

    var options: CallOptions {
        var options = CallOptions.defaults
        options.timeout = deadline
        options.waitForReady = false
        options.maxRequestMessageBytes = 64 << 20
        options.maxResponseMessageBytes = 64 << 20
        return options
    }

    static func request(_ texts: [String]) -> Clarifai_Api_PostModelOutputsRequest {
        var request = Clarifai_Api_PostModelOutputsRequest()
        request.modelID = "upper"
        request.inputs = texts.enumerated().map { index, text in
            var input = Clarifai_Api_Input()
            input.id = "in-\(index)"
            input.data.text.raw = text
            return input
        }
        return request
    }

    /// A unary call whose correct answer is every text upper-cased.
    func predict(_ texts: [String]) async -> (Outcome, String) {
        await predict(Self.request(texts), expected: texts.map { $0.uppercased() })
    }

    /// A unary call; `expected` nil means any success counts as correct.
    func predict(_ request: Clarifai_Api_PostModelOutputsRequest, expected: [String]?) async -> (Outcome, String) {
        await bounded {
            do {
                let response = try await api.postModelOutputs(request, metadata: metadata, options: options)
                return Self.judge([response], expected: expected.map { [$0] })
            } catch {
                return Self.judge(error)
            }
        }
    }

    /// A generate call whose correct answer is one upper-cased word per response.
    func generate(_ text: String) async -> (Outcome, String) {
        await generate(Self.request([text]), expected: text.split(separator: " ").map { [$0.uppercased()] })
    }

    func generate(_ request: Clarifai_Api_PostModelOutputsRequest, expected: [[String]]?) async -> (Outcome, String) {
        await bounded {
            do {
                let responses = try await api.generateModelOutputs(request, metadata: metadata, options: options) { response in
                    var all: [Clarifai_Api_MultiOutputResponse] = []
                    for try await message in response.messages { all.append(message) }
                    return all
                }
                return Self.judge(responses, expected: expected)
            } catch {
                return Self.judge(error)
            }
        }
    }

    /// A stream-stream call sending one message per text; correct is one upper-cased answer each.
    func stream(_ texts: [String], pause: Duration = .zero) async -> (Outcome, String) {
        await stream(texts.map { Self.request([$0]) }, expected: texts.map { [$0.uppercased()] }, pause: pause)
    }

    func stream(_ requests: [Clarifai_Api_PostModelOutputsRequest], expected: [[String]]?, pause: Duration = .zero) async -> (Outcome, String) {
        await bounded {
            let call = StreamingClientRequest<Clarifai_Api_PostModelOutputsRequest>(metadata: metadata) { writer in
                for request in requests {
                    try await writer.write(request)
                    if pause > .zero { try await Task.sleep(for: pause) }
                }
            }
            do {
                let responses = try await api.streamModelOutputs(request: call, options: options) { response in
                    var all: [Clarifai_Api_MultiOutputResponse] = []
                    for try await message in response.messages { all.append(message) }
                    return all
                }
                return Self.judge(responses, expected: expected)
            } catch {
                return Self.judge(error)
            }
        }
    }

    /// Judges the responses of one call: a failure status (with a description) ends it clearly; a
    /// success must carry the expected texts; anything short of both is lost.
    static func judge(_ responses: [Clarifai_Api_MultiOutputResponse], expected: [[String]]?) -> (Outcome, String) {
        for (index, response) in responses.enumerated() where response.status.code != .success {
            let description = response.status.description_p
            guard !description.isEmpty else { return (.lost, "status \(response.status.code) without a description") }
            guard index == responses.count - 1 else { return (.wrong, "a response follows the failure '\(description)'") }
            return (.clearFailure, "\(response.status.code): \(description)")
        }
        guard !responses.isEmpty else { return (.lost, "the call ended without any response") }
        guard let expected else { return (.correct, "") }
        let texts = responses.map { $0.outputs.map(\.data.text.raw) }
        if texts == expected { return (.correct, "") }
        if texts.count < expected.count, expected.starts(with: texts) { return (.lost, "ended after \(texts.count) of \(expected.count) responses") }
        return (.wrong, "got \(texts.description.prefix(120)), expected \(expected.description.prefix(120))")
    }

    static func judge(_ error: any Error) -> (Outcome, String) {
        if let error = error as? RPCError {
            if error.code == .deadlineExceeded { return (.hung, "deadline exceeded: \(error.message)") }
            return (.clearFailure, "gRPC \(error.code): \(error.message.prefix(100))")
        }
        return (.clearFailure, "\(type(of: error)): \(String(describing: error).prefix(100))")
    }

    /// Runs `call`, but never longer than the deadline plus a margin: past that it is `hung`,
    /// even if the client itself got stuck.
    func bounded(_ call: @escaping @Sendable () async -> (Outcome, String)) async -> (Outcome, String) {
        let limit = deadline + .seconds(5)
        return await withTaskGroup(of: (Outcome, String)?.self) { group in
            group.addTask { await call() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return Task.isCancelled ? nil : (.hung, "no answer within \(limit)")
            }
            var result: (Outcome, String)?
            while result == nil, let next = await group.next() {
                result = next
                group.cancelAll()
            }
            return result ?? (.hung, "no answer")
        }
    }
}

extension FaultTally {
    /// Sends one call and records its outcome.
    func run(_ call: () async -> (Outcome, String)) async {
        sent()
        let (outcome, note) = await call()
        record(outcome, note: note)
    }
}
