import ClarifaiAPI
import GRPCCore
import GRPCProtobuf
import Synchronization

/// A stand-in API that speaks just enough of `ProcessRunnerItems` to see a runner arrive: it notes
/// when each stream's handshake lands, never sends work, and ends each call when the runner
/// half-closes it. The local API has no hook for "first handshake", and start-up time is measured
/// from exec to exactly that moment.
final class HandshakeRecorder: RegistrableRPCService, Sendable {
    private struct Seen {
        var firstWorkHandshake: ContinuousClock.Instant?
        var workStreams = 0
        var controlStreams = 0
    }

    private let seen = Mutex(Seen())

    /// When the first work stream's handshake arrived, if one has.
    var firstWorkHandshake: ContinuousClock.Instant? { seen.withLock { $0.firstWorkHandshake } }

    /// Work and control streams opened so far.
    var streams: (work: Int, control: Int) { seen.withLock { ($0.workStreams, $0.controlStreams) } }

    /// Forgets everything, for the next runner start.
    func reset() { seen.withLock { $0 = Seen() } }

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Clarifai_Api_V2.Method.ProcessRunnerItems.descriptor,
            deserializer: ProtobufDeserializer<Clarifai_Api_PostRunnerItemOutputsRequest>(),
            serializer: ProtobufSerializer<Clarifai_Api_MultiRunnerItemResponse>()
        ) { request, _ in
            StreamingServerResponse { _ in
                var first = true
                do {
                    for try await message in request.messages where first {
                        first = false
                        self.note(message)
                    }
                } catch {
                    // The runner went away without a half-close (it was killed); nothing to answer.
                }
                return [:]
            }
        }
    }

    private func note(_ handshake: Clarifai_Api_PostRunnerItemOutputsRequest) {
        let now = ContinuousClock.now
        seen.withLock { seen in
            if handshake.runnerID.hasPrefix("control-") {
                seen.controlStreams += 1
            } else {
                seen.workStreams += 1
                if seen.firstWorkHandshake == nil { seen.firstWorkHandshake = now }
            }
        }
    }

    /// Waits until `work` work streams and one control stream have arrived, or `timeout` passes.
    func waitForStreams(work: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let now = streams
            if now.work >= work, now.control >= 1 { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}
