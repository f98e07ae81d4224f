import ClarifaiAPI
import Logging

/// The control stream of one runner process: it never carries work, only cancellations of items
/// whose callers went away, in the one shape the official runner honours (an item with the id and
/// `processing_info.status = RUNNER_ITEM_CANCELLED`).
struct ControlStreamSession {
    /// The handshake's runner id starts with this on a control stream.
    static let runnerIDPrefix = "control-"

    let broker: Broker
    let logger: Logger
    let writer: RunnerStreamWriter
    let sink: AsyncStream<RunnerStreamEvent>.Continuation

    /// Whether a handshake opens a control stream rather than a work stream.
    static func isControl(_ handshake: Clarifai_Api_PostRunnerItemOutputsRequest) -> Bool {
        handshake.runnerID.hasPrefix(runnerIDPrefix) || handshake.status.description_p == "Control connection"
    }

    /// Serves the stream until the runner or the server ends it.
    func run(
        handshake: Clarifai_Api_PostRunnerItemOutputsRequest,
        events: inout AsyncStream<RunnerStreamEvent>.Iterator
    ) async {
        let runnerID = handshake.runnerID.hasPrefix(Self.runnerIDPrefix)
            ? String(handshake.runnerID.dropFirst(Self.runnerIDPrefix.count))
            : handshake.runnerID
        let id = broker.openControlStream(runnerID: runnerID, replicaID: handshake.runnerReplicaID, sink: sink)
        defer { broker.closeControlStream(id: id) }
        logger.debug("Control stream open", metadata: ["runner_id": "\(runnerID)"])

        while let event = await events.next() {
            switch event {
            case .cancelItem(let itemID):
                guard await writer.send(RunnerItems.response(with: RunnerItems.cancel(id: itemID))) else { return }
            case .runnerClosed, .runnerFailed, .shutdown:
                return
            default:
                continue
            }
        }
    }
}
