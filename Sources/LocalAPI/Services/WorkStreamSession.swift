import ClarifaiAPI
import GRPCCore
import Logging
import NIOCore
import NIOPosix

/// One work stream of `ProcessRunnerItems`, after its handshake: wait for a job (or answer
/// `RUNNER_NEEDS_RETRY` when idle too long), send its item and follow-ups, forward the runner's
/// answers, and end the call after the runner's half-close. See `docs/wire-dialogue.md`.
///
/// Whatever way the session ends, ``Broker/closeWorkStream(waiterID:itemSent:)`` runs, so a job
/// still on the stream is re-queued once or failed: a caller never hangs on a dead stream.
struct WorkStreamSession {
    private enum Phase {
        /// Waiting for work.
        case idle
        /// The runner closed its side while a job was already on its way: the job is handed back.
        case closedWhileIdle
        /// Serving this job.
        case busy(JobAssignment)
        /// The job is over for the caller; waiting for the runner's half-close.
        case draining
    }

    let broker: Broker
    let idleTimeout: Duration
    let logger: Logger
    let writer: RunnerStreamWriter
    let sink: AsyncStream<RunnerStreamEvent>.Continuation

    /// Serves the stream until it ends.
    func run(
        handshake: Clarifai_Api_PostRunnerItemOutputsRequest,
        events: inout AsyncStream<RunnerStreamEvent>.Iterator
    ) async {
        var logger = self.logger
        logger[metadataKey: "runner_id"] = "\(handshake.runnerID)"
        let waiterID = broker.openWorkStream(
            runnerID: handshake.runnerID,
            replicaID: handshake.runnerReplicaID,
            sink: sink
        )
        var itemSent = false
        defer { broker.closeWorkStream(waiterID: waiterID, itemSent: itemSent) }

        var generation = 1
        var timer: Scheduled<Void>?
        defer { timer?.cancel() }
        schedule(generation: generation, after: idleTimeout, replacing: &timer)
        var phase = Phase.idle

        while let event = await events.next() {
            switch phase {
            case .idle:
                switch event {
                case .assigned(let assignment):
                    generation += 1  // disarms the idle timer
                    timer?.cancel()
                    phase = .busy(assignment)
                    guard await send(assignment, markSent: &itemSent) else { return }
                    logger.debug("Item sent", metadata: ["item_id": "\(assignment.jobID)"])
                case .timer(let fired) where fired == generation:
                    if broker.withdraw(waiterID: waiterID) {
                        _ = await writer.send(
                            RunnerItems.response(
                                status: .runnerNeedsRetry,
                                "No work for \(BrokerState.format(idleTimeout)); open a new stream"
                            )
                        )
                        return
                    }
                // Otherwise a job is already in this stream's channel: serve it.
                case .shutdown:
                    // The broker already released this waiter, and no assignment can follow the
                    // shutdown in the channel.
                    _ = await writer.send(
                        RunnerItems.response(status: .runnerNeedsRetry, "The local API is shutting down")
                    )
                    return
                case .runnerClosed, .runnerFailed:
                    // A runner that half-closes an idle stream is shutting down: no more work here.
                    if broker.withdraw(waiterID: waiterID) { return }
                    phase = .closedWhileIdle
                default:
                    continue
                }

            case .closedWhileIdle:
                if case .assigned = event {
                    // Never sent: closing the stream hands the job back without using its re-queue.
                    return
                }

            case .busy(let assignment):
                switch event {
                case .runnerMessage(let message):
                    if !message.runnerItemID.isEmpty && message.runnerItemID != assignment.jobID {
                        logger.warning(
                            "Answer for another item ignored",
                            metadata: ["item_id": "\(assignment.jobID)", "answered_id": "\(message.runnerItemID)"]
                        )
                        continue
                    }
                    let answer = RunnerAnswer(message)
                    if answer == .nothing { continue }
                    if broker.apply(answer, jobID: assignment.jobID) != .forwarded {
                        phase = .draining
                        generation += 1
                        schedule(generation: generation, after: idleTimeout, replacing: &timer)
                    }
                case .runnerClosed:
                    // The half-close ends the outputs. A unary item without its answer was lost:
                    // returning lets closeWorkStream re-queue it.
                    if assignment.mode != .unaryUnary {
                        broker.complete(jobID: assignment.jobID)
                    }
                    return
                case .runnerFailed(let reason):
                    logger.notice("Work stream broke during an item", metadata: ["item_id": "\(assignment.jobID)", "reason": "\(reason)"])
                    return
                case .callerInput(let input):
                    let message: Clarifai_Api_MultiRunnerItemResponse
                    switch input {
                    case .message(let request):
                        message = RunnerItems.response(
                            with: RunnerItems.work(id: assignment.jobID, mode: assignment.mode, request: request)
                        )
                    case .end:
                        message = RunnerItems.response(status: .runnerStreamEnd, "End of caller input")
                    }
                    guard await writer.send(message) else { return }
                case .callerCancelled:
                    // The cancel went to the control stream; stop forwarding and let the runner finish.
                    phase = .draining
                    generation += 1
                    schedule(generation: generation, after: idleTimeout, replacing: &timer)
                case .assigned(let other):
                    // Cannot happen (a busy stream is no waiter); hand it back rather than drop it.
                    broker.returnUnsent(jobID: other.jobID)
                default:
                    continue
                }

            case .draining:
                switch event {
                case .runnerClosed, .runnerFailed:
                    return
                case .timer(let fired) where fired == generation:
                    // The runner never half-closed; end the call so it opens a fresh stream.
                    return
                case .assigned(let other):
                    broker.returnUnsent(jobID: other.jobID)
                default:
                    continue
                }
            }
        }
    }

    /// Sends a job's item, then the follow-ups and end marker already received from its caller.
    private func send(_ assignment: JobAssignment, markSent itemSent: inout Bool) async -> Bool {
        for (index, request) in assignment.inputs.enumerated() {
            let item = RunnerItems.work(id: assignment.jobID, mode: assignment.mode, request: request)
            guard await writer.send(RunnerItems.response(with: item)) else { return false }
            if index == 0 { itemSent = true }
        }
        if assignment.mode == .streamingStreaming && assignment.inputEnded {
            guard await writer.send(RunnerItems.response(status: .runnerStreamEnd, "End of caller input")) else {
                return false
            }
        }
        return true
    }

    /// Arms the idle timer for `generation`, cancelling the one before. An event-loop timer rather
    /// than a sleeping task: a disarmed task lived on until its deadline, one per item, which under
    /// load held tens of thousands of tasks and their memory.
    private func schedule(generation: Int, after delay: Duration, replacing timer: inout Scheduled<Void>?) {
        timer?.cancel()
        timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(delay)) { [sink] in
            sink.yield(.timer(generation: generation))
        }
    }
}
