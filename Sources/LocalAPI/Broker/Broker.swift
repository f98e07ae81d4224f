import ClarifaiAPI
import Logging
import Synchronization

/// Matches caller jobs with runner streams and polls, and carries messages between them.
///
/// Every decision is taken by ``BrokerState``; this class holds it behind one lock together with the
/// channels to callers and runner sessions, and yields into those channels while still holding the
/// lock. Yielding under the lock keeps each channel's order equal to the order of the decisions
/// (an assignment always reaches a stream before the follow-ups routed after it). Yielding into an
/// `AsyncStream` never blocks, so this is safe.
final class Broker: Sendable {
    private struct ControlChannel: Sendable {
        var runnerID: String
        var replicaID: String
        var sink: AsyncStream<RunnerStreamEvent>.Continuation
    }

    private struct Core: Sendable {
        var state: BrokerState
        var callers: [String: AsyncStream<JobEvent>.Continuation] = [:]
        var streams: [UInt64: AsyncStream<RunnerStreamEvent>.Continuation] = [:]
        var polls: [UInt64: AsyncStream<PollDelivery>.Continuation] = [:]
        var controls: [UInt64: ControlChannel] = [:]
        var nextID: UInt64 = 1

        mutating func makeID() -> UInt64 {
            defer { nextID += 1 }
            return nextID
        }
    }

    private let core: Mutex<Core>
    private let logger: Logger

    /// A broker with the given bounds.
    init(limits: BrokerLimits, logger: Logger) {
        self.core = Mutex(Core(state: BrokerState(limits: limits)))
        self.logger = logger
    }

    // MARK: Callers

    /// Submits a caller's request as a new job whose events go to `sink`. A refused job gets one
    /// `failed` event and the sink is finished.
    func submit(
        jobID: String,
        request: Clarifai_Api_PostModelOutputsRequest,
        mode: Clarifai_Api_RunnerMethodType,
        sink: AsyncStream<JobEvent>.Continuation
    ) {
        let job = JobRecord(id: jobID, mode: mode, request: request, now: .now)
        core.withLock { core in
            switch core.state.submit(job, now: .now) {
            case .rejected(let status):
                sink.yield(.failed(status))
                sink.finish()
                logger.notice("Request refused", metadata: ["item_id": "\(jobID)", "reason": "\(status.description_p)"])
                return
            case .queued:
                core.callers[jobID] = sink
            case .assigned(let waiter, let assignment):
                core.callers[jobID] = sink
                deliver(assignment, to: waiter, core: &core)
            }
        }
        logger.debug("Request submitted", metadata: ["item_id": "\(jobID)", "mode": "\(mode)", "model_id": "\(job.modelID)"])
    }

    /// Passes a stream-stream caller's further input to wherever its job is.
    func callerInput(_ input: CallerInput, jobID: String) {
        core.withLock { core in
            switch core.state.callerInput(input, jobID: jobID) {
            case .buffered, .mailboxed, .dropped:
                break
            case .stream(let waiterID):
                core.streams[waiterID]?.yield(.callerInput(input))
            case .poll(let waiterID, let item):
                core.polls[waiterID]?.yield(.item(item))
            }
        }
    }

    /// Ends a job whose caller went away; a no-op if the job is already over. A job on a work stream
    /// is cancelled on its runner's control stream, the only place the official runner honours it.
    func callerCancelled(jobID: String) {
        core.withLock { core in
            core.callers.removeValue(forKey: jobID)?.finish()
            switch core.state.callerCancelled(jobID: jobID) {
            case .none, .dequeued:
                break
            case .stream(let waiterID, let runnerID, let replicaID):
                core.streams[waiterID]?.yield(.callerCancelled)
                var sent = false
                for channel in core.controls.values where channel.runnerID == runnerID {
                    if replicaID.isEmpty || channel.replicaID.isEmpty || channel.replicaID == replicaID {
                        channel.sink.yield(.cancelItem(jobID))
                        sent = true
                    }
                }
                logger.info(
                    "Caller went away; item cancelled",
                    metadata: ["item_id": "\(jobID)", "runner_id": "\(runnerID)", "control_stream": "\(sent)"]
                )
            case .poll(let waiterID, let item):
                if let waiterID { core.polls[waiterID]?.yield(.item(item)) }
                logger.info("Caller went away; item cancelled", metadata: ["item_id": "\(jobID)"])
            }
        }
    }

    // MARK: Work streams

    /// Registers an idle work stream; its events (assignments included) go to `sink`.
    func openWorkStream(runnerID: String, replicaID: String, sink: AsyncStream<RunnerStreamEvent>.Continuation) -> UInt64 {
        core.withLock { core in
            let waiter = Waiter(id: core.makeID(), runnerID: runnerID, replicaID: replicaID, kind: .stream)
            core.streams[waiter.id] = sink
            switch core.state.addWaiter(waiter, now: .now) {
            case .assigned(let assignment):
                sink.yield(.assigned(assignment))
            case .shutDown:
                sink.yield(.shutdown)
            case .waiting, .mailbox:
                break
            }
            return waiter.id
        }
    }

    /// Withdraws an idle work stream or poll. `false` means work was already handed to it and is
    /// waiting in its channel.
    func withdraw(waiterID: UInt64) -> Bool {
        core.withLock { $0.state.removeWaiter(id: waiterID) }
    }

    /// Forgets a work stream that ended. A job still placed on it was lost by the runner: it is
    /// re-queued once or failed.
    ///
    /// - Parameter itemSent: whether the job's item was written to the runner.
    func closeWorkStream(waiterID: UInt64, itemSent: Bool) {
        core.withLock { core in
            _ = core.state.removeWaiter(id: waiterID)
            core.streams.removeValue(forKey: waiterID)
            if let jobID = core.state.job(onStream: waiterID) {
                handleLoss(jobID: jobID, countAttempt: itemSent, core: &core)
            }
        }
    }

    /// Hands a job that a stream or poll could not send back to the queue, without counting an attempt.
    func returnUnsent(jobID: String) {
        core.withLock { core in
            handleLoss(jobID: jobID, countAttempt: false, core: &core)
        }
    }

    /// Applies a runner's answer and forwards what the caller must get. The outcome says whether the
    /// job goes on, is over, or had no caller waiting any more.
    @discardableResult
    func apply(_ answer: RunnerAnswer, jobID: String) -> BrokerState.AnswerOutcome {
        core.withLock { core in
            let (outcome, events) = core.state.apply(answer, jobID: jobID, now: .now)
            if let sink = core.callers[jobID] {
                for event in events { sink.yield(event) }
                if outcome == .finished {
                    sink.finish()
                    core.callers.removeValue(forKey: jobID)
                }
            }
            return outcome
        }
    }

    /// Ends a job normally (a half-close after its outputs).
    func complete(jobID: String) {
        apply(.endOfOutputs, jobID: jobID)
    }

    // MARK: Polls

    /// Registers a `ListRunnerItems` poll; what it gets goes to `sink`.
    func openPoll(runnerID: String, sink: AsyncStream<PollDelivery>.Continuation) -> UInt64 {
        core.withLock { core in
            let waiter = Waiter(id: core.makeID(), runnerID: runnerID, replicaID: "", kind: .poll)
            core.polls[waiter.id] = sink
            switch core.state.addWaiter(waiter, now: .now) {
            case .assigned(let assignment): sink.yield(.assigned(assignment))
            case .mailbox(let item): sink.yield(.item(item))
            case .shutDown: sink.yield(.shutdown)
            case .waiting: break
            }
            return waiter.id
        }
    }

    /// Forgets a finished poll.
    func closePoll(waiterID: UInt64) {
        core.withLock { core in
            _ = core.state.removeWaiter(id: waiterID)
            core.polls.removeValue(forKey: waiterID)
        }
    }

    /// Puts back a mailbox item that a poll took but could not answer with.
    func returnToMailbox(_ item: Clarifai_Api_RunnerItem, runnerID: String) {
        core.withLock { $0.state.returnToMailbox(item, runnerID: runnerID) }
    }

    // MARK: Control streams

    /// Registers a runner process's control stream, where cancellations for its items go.
    func openControlStream(runnerID: String, replicaID: String, sink: AsyncStream<RunnerStreamEvent>.Continuation) -> UInt64 {
        core.withLock { core in
            let id = core.makeID()
            core.controls[id] = ControlChannel(runnerID: runnerID, replicaID: replicaID, sink: sink)
            if core.state.isShutDown { sink.yield(.shutdown) }
            return id
        }
    }

    /// Forgets a control stream.
    func closeControlStream(id: UInt64) {
        _ = core.withLock { $0.controls.removeValue(forKey: id) }
    }

    // MARK: Registry, deadlines, shutdown

    /// Replaces the runner id → model id routing filters (from the runner records).
    func setModelFilters(_ filters: [String: String]) {
        core.withLock { core in
            for (waiter, assignment) in core.state.setModelFilters(filters, now: .now) {
                deliver(assignment, to: waiter, core: &core)
            }
        }
    }

    /// Fails jobs past their deadlines. Returns the next deadline, if any.
    @discardableResult
    func expireOverdue(now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
        core.withLock { core in
            for (jobID, status) in core.state.expire(now: now) {
                logger.notice("Request failed: no runner in time", metadata: ["item_id": "\(jobID)", "reason": "\(status.description_p)"])
                if let sink = core.callers.removeValue(forKey: jobID) {
                    sink.yield(.failed(status))
                    sink.finish()
                }
            }
            return core.state.nextDeadline()
        }
    }

    /// Stops handing out work: idle streams, polls and control streams end, queued requests fail.
    /// Jobs already on a runner carry on so that a graceful shutdown drains them.
    func shutDown() {
        core.withLock { core in
            let outcome = core.state.shutDown()
            for waiter in outcome.waiters {
                switch waiter.kind {
                case .stream: core.streams[waiter.id]?.yield(.shutdown)
                case .poll: core.polls[waiter.id]?.yield(.shutdown)
                }
            }
            for (jobID, status) in outcome.failedJobs {
                if let sink = core.callers.removeValue(forKey: jobID) {
                    sink.yield(.failed(status))
                    sink.finish()
                }
            }
            for channel in core.controls.values { channel.sink.yield(.shutdown) }
        }
    }

    // MARK: Helpers

    private func deliver(_ assignment: JobAssignment, to waiter: Waiter, core: inout Core) {
        switch waiter.kind {
        case .stream: core.streams[waiter.id]?.yield(.assigned(assignment))
        case .poll: core.polls[waiter.id]?.yield(.assigned(assignment))
        }
        logger.debug(
            "Request assigned",
            metadata: ["item_id": "\(assignment.jobID)", "runner_id": "\(waiter.runnerID)", "mode": "\(assignment.mode)"]
        )
    }

    private func handleLoss(jobID: String, countAttempt: Bool, core: inout Core) {
        switch core.state.runnerLost(jobID: jobID, countAttempt: countAttempt, now: .now) {
        case .unknown:
            break
        case .requeued:
            logger.info("Runner lost the request; re-queued", metadata: ["item_id": "\(jobID)"])
        case .reassigned(let waiter, let assignment):
            logger.info("Runner lost the request; re-assigned", metadata: ["item_id": "\(jobID)"])
            deliver(assignment, to: waiter, core: &core)
        case .failed(let status):
            logger.notice("Runner lost the request; failed", metadata: ["item_id": "\(jobID)", "reason": "\(status.description_p)"])
            if let sink = core.callers.removeValue(forKey: jobID) {
                sink.yield(.failed(status))
                sink.finish()
            }
        }
    }
}
