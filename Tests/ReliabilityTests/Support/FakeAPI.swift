import ClarifaiAPI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import SwiftProtobuf
import Synchronization

/// One runner item as the fake API sends it, and what counts as its final answer.
struct ScriptedItem: Sendable {
    /// For reports.
    var name: String
    /// What the runner should echo as `runner_item_id`.
    var id: String
    /// The mode, which decides how many answers are allowed.
    var mode: Clarifai_Api_RunnerMethodType
    /// The messages sent on the work stream: the item, then any follow-ups and the end marker.
    var messages: [WireMessage]
    /// How long the runner has to answer and half-close.
    var deadline: Duration = .seconds(15)
    /// The runner cannot decode it (invalid UTF-8, nesting beyond the decoder's limit): its answer
    /// must still come, and say so.
    var undecodable = false
}

/// A message on the wire: a normal one, or raw bytes the test crafted.
enum WireMessage: Sendable {
    case message(Clarifai_Api_MultiRunnerItemResponse)
    case raw([UInt8])
}

/// What became of one scripted item.
struct ItemVerdict: Sendable {
    var name: String
    var outcome: Outcome
    var note: String
}

/// A stand-in for the Clarifai API on the runner's side: a gRPC server on 127.0.0.1 implementing
/// only `ProcessRunnerItems`. It hands each scripted item to one work stream, records every answer
/// until the runner's half-close, and judges that the item got exactly one final answer with a
/// defined status and a description.
final class FakeAPI: Sendable {
    private let queue = Mutex<[ScriptedItem]>([])
    private let verdicts = Mutex<[ItemVerdict]>([])
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let transport: HTTP2ServerTransport.Posix

    init() {
        transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext,
            config: .defaults { $0.rpc.maxRequestPayloadSize = 128 << 20 }
        )
        let holder = ServiceHolder()
        server = GRPCServer(transport: transport, services: [holder])
        holder.api.withLock { $0 = self }
    }

    /// Serves until `body` returns.
    func run<R: Sendable>(_ body: @Sendable (Int) async throws -> R) async throws -> R {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.server.serve() }
            defer {
                server.beginGracefulShutdown()
                group.cancelAll()
            }
            let address = try await transport.listeningAddress
            return try await body(address.ipv4!.port)
        }
    }

    func submit(_ items: [ScriptedItem]) {
        queue.withLock { $0.append(contentsOf: items) }
    }

    /// Waits until `count` verdicts exist, or the time is up.
    func waitForVerdicts(_ count: Int, within limit: Duration) async -> [ItemVerdict] {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, verdicts.withLock({ $0.count }) < count {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return verdicts.withLock { $0 }
    }

    private func take(within limit: Duration) async -> ScriptedItem? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let item = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return item }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    private func record(_ item: ScriptedItem, _ outcome: Outcome, _ note: String) {
        verdicts.withLock { $0.append(ItemVerdict(name: item.name, outcome: outcome, note: note)) }
    }

    private enum Event: Sendable {
        case answer(Clarifai_Api_PostRunnerItemOutputsRequest)
        case closed
        case failed(String)
        case timeout
    }

    /// One `ProcessRunnerItems` call.
    func serve(
        _ request: StreamingServerRequest<Clarifai_Api_PostRunnerItemOutputsRequest>,
        _ writer: RPCWriter<WireMessage>
    ) async throws {
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await message in request.messages { sink.yield(.answer(message)) }
                    sink.yield(.closed)
                } catch {
                    sink.yield(.failed("\(error)"))
                }
            }
            defer { group.cancelAll() }
            var iterator = events.makeAsyncIterator()
            guard case .answer(let handshake)? = await iterator.next() else { return }
            if handshake.runnerID.hasPrefix("control-") {
                while let event = await iterator.next(), case .answer = event {}
                return
            }
            guard let item = await take(within: .seconds(1)) else {
                var retry = Clarifai_Api_MultiRunnerItemResponse()
                retry.status.code = .runnerNeedsRetry
                try await writer.write(.message(retry))
                return
            }
            do {
                for message in item.messages { try await writer.write(message) }
            } catch {
                record(item, .lost, "the stream failed while sending the item")
                return
            }
            group.addTask {
                try? await Task.sleep(for: item.deadline)
                sink.yield(.timeout)
            }
            var answers: [Clarifai_Api_PostRunnerItemOutputsRequest] = []
            while let event = await iterator.next() {
                switch event {
                case .answer(let message): answers.append(message)
                case .closed:
                    let (outcome, note) = Self.judge(item, answers)
                    record(item, outcome, note)
                    return
                case .failed(let reason):
                    record(item, .lost, "stream ended with an error after \(answers.count) answers: \(reason.prefix(120))")
                    return
                case .timeout:
                    if case .message(let first)? = item.messages.first {
                        print("[reliability] hung item \(item.name):\n\(first.textFormatString().prefix(3000))")
                    }
                    record(item, .hung, "no half-close within \(item.deadline) (\(answers.count) answers)")
                    return
                }
            }
        }
    }

    /// Exactly one final answer: for unary one message; for generate and stream the last message
    /// before the half-close. It must name the item and carry a defined status, with a description
    /// when it is not a success.
    static func judge(_ item: ScriptedItem, _ answers: [Clarifai_Api_PostRunnerItemOutputsRequest]) -> (Outcome, String) {
        if let stray = answers.first(where: { $0.runnerItemID != item.id }) {
            return (.wrong, "answer for '\(stray.runnerItemID)' on the stream of '\(item.id)'")
        }
        guard let last = answers.last else {
            if item.mode == .unaryStreaming || item.mode == .streamingStreaming { return (.correct, "no outputs, then the half-close") }
            return (.lost, "half-closed without an answer")
        }
        if item.mode == .unaryUnary && answers.count != 1 { return (.wrong, "\(answers.count) answers to a unary item") }
        guard last.status.code == .success || last.status.code == .runnerProcessingFailed else {
            return (.wrong, "outer status \(last.status.code)")
        }
        guard case .multiOutputResponse(let response)? = last.runnerItemOutputs.first?.response else {
            return (.wrong, "final answer carries no multi_output_response")
        }
        if item.undecodable, !response.status.description_p.contains("could not decode") {
            return (.wrong, "undecodable item answered \(response.status.code) '\(response.status.description_p)'")
        }
        switch response.status.code {
        case .success: return (.correct, "")
        case .zero: return (.wrong, "final answer has no status")
        default:
            guard !response.status.description_p.isEmpty else { return (.wrong, "\(response.status.code) without a description") }
            return (.clearFailure, "\(response.status.code): \(response.status.description_p)")
        }
    }
}

/// Registers only `ProcessRunnerItems`, with a serializer that can also send crafted bytes.
private final class ServiceHolder: RegistrableRPCService, Sendable {
    let api = Mutex<FakeAPI?>(nil)

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Clarifai_Api_V2.Method.ProcessRunnerItems.descriptor,
            deserializer: ProtobufDeserializer<Clarifai_Api_PostRunnerItemOutputsRequest>(),
            serializer: WireSerializer()
        ) { [self] request, _ in
            let api = self.api.withLock { $0! }
            return StreamingServerResponse { writer in
                try await api.serve(request, writer)
                return [:]
            }
        }
    }
}

private struct WireSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: WireMessage) throws -> Bytes {
        switch message {
        case .message(let message): return Bytes(try message.serializedBytes() as [UInt8])
        case .raw(let bytes): return Bytes(bytes)
        }
    }
}
