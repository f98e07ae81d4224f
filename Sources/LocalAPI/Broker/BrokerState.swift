import ClarifaiAPI

/// The broker's decisions, as a value type apart from any I/O so they can be tested without a
/// network: which waiter gets which job, when a job is re-queued or failed, and where a follow-up
/// or cancellation goes. ``Broker`` wraps it in a lock and carries out the outcomes.
///
/// Rules:
/// - Jobs are served first come, first served; waiters too.
/// - A runner id with a registered model only takes jobs for that model.
/// - A job whose runner is lost before any output is re-queued once, at the head of the queue.
/// - A queued job fails after the no-runner deadline; the queue is bounded.
struct BrokerState: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// The bounds in force.
    let limits: BrokerLimits
    /// Queued job ids, oldest first.
    private(set) var queue: [String] = []
    /// Every live job, queued or placed.
    private(set) var jobs: [String: JobRecord] = [:]
    /// Waiters, oldest first.
    private(set) var waiters: [Waiter] = []
    /// Runner id → the only model id it serves (from runner records).
    private(set) var modelFilters: [String: String] = [:]
    /// Runner id → items waiting for that runner's next poll.
    private(set) var mailboxes: [String: [Clarifai_Api_RunnerItem]] = [:]
    /// Whether the server is shutting down.
    private(set) var isShutDown = false

    /// An empty state with the given bounds.
    init(limits: BrokerLimits) {
        self.limits = limits
    }

    // MARK: Routing

    /// Whether the waiter may serve the job.
    func accepts(_ waiter: Waiter, _ job: JobRecord) -> Bool {
        guard let model = modelFilters[waiter.runnerID], !model.isEmpty else { return true }
        return job.modelID == model
    }

    /// Submits a caller's job: to the oldest waiter that accepts it, else to the queue if there is room.
    mutating func submit(_ job: JobRecord, now: Instant) -> SubmitOutcome {
        if isShutDown {
            return .rejected(.make(.modelBusyPleaseRetry, "The local API is shutting down; retry against a running one"))
        }
        if let index = waiters.firstIndex(where: { accepts($0, job) }) {
            let waiter = waiters.remove(at: index)
            jobs[job.id] = job
            return .assigned(waiter, assign(job.id, to: waiter, now: now))
        }
        guard queue.count < limits.maxQueued else {
            return .rejected(
                .make(
                    .modelBusyPleaseRetry,
                    "The local API already has \(limits.maxQueued) requests waiting for a runner; retry later"
                )
            )
        }
        var queued = job
        queued.placement = .queued(since: now)
        jobs[job.id] = queued
        queue.append(job.id)
        return .queued
    }

    /// Registers a waiter, or serves it at once from its mailbox (polls) or the queue.
    mutating func addWaiter(_ waiter: Waiter, now: Instant) -> WaiterOutcome {
        if isShutDown { return .shutDown }
        if waiter.kind == .poll, var box = mailboxes[waiter.runnerID], !box.isEmpty {
            let item = box.removeFirst()
            mailboxes[waiter.runnerID] = box.isEmpty ? nil : box
            return .mailbox(item)
        }
        if let index = queue.firstIndex(where: { id in jobs[id].map { accepts(waiter, $0) } ?? false }) {
            let jobID = queue.remove(at: index)
            return .assigned(assign(jobID, to: waiter, now: now))
        }
        waiters.append(waiter)
        return .waiting
    }

    /// Removes a waiter that no longer wants work. Returns `false` if it was not waiting, which means
    /// it was given something that is on its way to it.
    mutating func removeWaiter(id: UInt64) -> Bool {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return false }
        waiters.remove(at: index)
        return true
    }

    /// Sets which model each registered runner id serves, and hands queued jobs to waiters that may
    /// take them now.
    mutating func setModelFilters(_ filters: [String: String], now: Instant) -> [(Waiter, JobAssignment)] {
        modelFilters = filters
        var matches: [(Waiter, JobAssignment)] = []
        var index = 0
        while index < waiters.count {
            let waiter = waiters[index]
            if let queueIndex = queue.firstIndex(where: { id in jobs[id].map { accepts(waiter, $0) } ?? false }) {
                let jobID = queue.remove(at: queueIndex)
                waiters.remove(at: index)
                matches.append((waiter, assign(jobID, to: waiter, now: now)))
            } else {
                index += 1
            }
        }
        return matches
    }

    /// Places a job on a waiter. For a poll, the follow-ups already received go to the runner id's
    /// mailbox, because a poll answers one item at a time.
    private mutating func assign(_ jobID: String, to waiter: Waiter, now: Instant) -> JobAssignment {
        var job = jobs[jobID]!
        job.attempts += 1
        switch waiter.kind {
        case .stream:
            job.placement = .stream(waiterID: waiter.id, runnerID: waiter.runnerID, replicaID: waiter.replicaID)
        case .poll:
            job.placement = .poll(runnerID: waiter.runnerID, lastActivity: now)
        }
        let assignment = JobAssignment(
            jobID: job.id,
            mode: job.mode,
            inputs: job.inputs,
            inputEnded: job.inputEnded
        )
        if waiter.kind == .poll {
            let followUps = RunnerItems.pollFollowUps(for: assignment)
            job.nextPollSequence = followUps.count + 1
            if !followUps.isEmpty {
                mailboxes[waiter.runnerID, default: []].append(contentsOf: followUps)
            }
        }
        jobs[jobID] = job
        return assignment
    }

    // MARK: Caller side

    /// Routes a stream-stream caller's further input.
    mutating func callerInput(_ input: CallerInput, jobID: String) -> InputRoute {
        guard var job = jobs[jobID] else { return .dropped }
        let isQueued: Bool
        if case .queued = job.placement { isQueued = true } else { isQueued = false }
        switch input {
        case .message(let request):
            // Kept while the job may still be replayed on another stream.
            if isQueued || !job.outputsForwarded { job.inputs.append(request) }
        case .end:
            job.inputEnded = true
        }
        jobs[jobID] = job

        switch job.placement {
        case .queued:
            return .buffered
        case .stream(let waiterID, _, _):
            return .stream(waiterID)
        case .poll(let runnerID, _):
            var item: Clarifai_Api_RunnerItem
            switch input {
            case .message(let request): item = RunnerItems.work(id: jobID, mode: job.mode, request: request)
            case .end: item = RunnerItems.endOfInput(id: jobID)
            }
            item = RunnerItems.sequenced(item, job.nextPollSequence)
            job.nextPollSequence += 1
            jobs[jobID] = job
            if let waiterID = deliverToPoll(runnerID: runnerID, item: item) {
                return .poll(waiterID: waiterID, item: item)
            }
            return .mailboxed
        }
    }

    /// Ends a job whose caller went away.
    mutating func callerCancelled(jobID: String) -> CancelRoute {
        guard let job = removeJob(jobID) else { return .none }
        switch job.placement {
        case .queued:
            return .dequeued
        case .stream(let waiterID, let runnerID, let replicaID):
            return .stream(waiterID: waiterID, runnerID: runnerID, replicaID: replicaID)
        case .poll(let runnerID, _):
            let item = RunnerItems.cancel(id: jobID)
            return .poll(waiterID: deliverToPoll(runnerID: runnerID, item: item), item: item)
        }
    }

    // MARK: Runner side

    /// Applies a runner's answer to its job, returning what the caller must receive.
    mutating func apply(
        _ answer: RunnerAnswer,
        jobID: String,
        now: Instant
    ) -> (outcome: AnswerOutcome, events: [JobEvent]) {
        guard var job = jobs[jobID] else { return (.unknownJob, []) }
        if case .poll(let runnerID, _) = job.placement {
            job.placement = .poll(runnerID: runnerID, lastActivity: now)
        }
        switch answer {
        case .nothing:
            jobs[jobID] = job
            return (.forwarded, [])
        case .outputs(let responses, let runnerFailed):
            job.outputsForwarded = true
            job.inputs = []
            jobs[jobID] = job
            let events = responses.map(JobEvent.output)
            // A unary job's first answer is final.
            if job.mode == .unaryUnary || runnerFailed {
                removeJob(jobID)
                return (.finished, events)
            }
            return (.forwarded, events)
        case .endOfOutputs:
            removeJob(jobID)
            if job.mode == .unaryUnary && !job.outputsForwarded {
                return (
                    .finished,
                    [.failed(.make(.runnerProcessingFailed, "The runner ended the request without an answer"))]
                )
            }
            return (.finished, [])
        case .failure(let status):
            removeJob(jobID)
            return (.finished, [.failed(status)])
        }
    }

    /// Handles a runner that lost a job (its stream broke, or it half-closed before a unary answer).
    ///
    /// - Parameter countAttempt: `false` when the job never reached the runner (the stream closed
    ///   between assignment and sending), so the re-queue is free.
    mutating func runnerLost(jobID: String, countAttempt: Bool, now: Instant) -> LossOutcome {
        guard var job = jobs[jobID] else { return .unknown }
        if job.outputsForwarded {
            removeJob(jobID)
            return .failed(
                .make(
                    .runnerProcessingFailed,
                    "The runner disconnected after sending part of the outputs; the request was not retried"
                )
            )
        }
        if !countAttempt {
            job.attempts -= 1
        } else if job.attempts >= 2 {
            removeJob(jobID)
            return .failed(
                .make(
                    .runnerProcessingFailed,
                    "The runner disconnected before answering, twice; the request was given up"
                )
            )
        }
        if case .poll(let runnerID, _) = job.placement {
            purgeMailbox(runnerID: runnerID, jobID: jobID)
        }
        job.placement = .queued(since: now)
        jobs[jobID] = job
        queue.insert(jobID, at: 0)
        if let index = waiters.firstIndex(where: { accepts($0, job) }) {
            let waiter = waiters.remove(at: index)
            queue.removeFirst()
            return .reassigned(waiter, assign(jobID, to: waiter, now: now))
        }
        return .requeued
    }

    /// The job placed on a work stream, if any.
    func job(onStream waiterID: UInt64) -> String? {
        jobs.values.first { job in
            if case .stream(let id, _, _) = job.placement { return id == waiterID }
            return false
        }?.id
    }

    /// Puts an item a poll could not deliver back at the head of its runner id's mailbox.
    mutating func returnToMailbox(_ item: Clarifai_Api_RunnerItem, runnerID: String) {
        mailboxes[runnerID, default: []].insert(item, at: 0)
    }

    // MARK: Deadlines and shutdown

    /// Fails queued jobs past the no-runner deadline, and poll jobs silent past the inactivity limit.
    mutating func expire(now: Instant) -> [(jobID: String, status: Clarifai_Api_Status_Status)] {
        var expired: [(String, Clarifai_Api_Status_Status)] = []
        let runnersBusy = jobs.values.contains { job in
            if case .queued = job.placement { return false }
            return true
        }
        for job in jobs.values {
            switch job.placement {
            case .queued(let since) where since + limits.noRunnerDeadline <= now:
                let model = job.modelID.isEmpty ? "" : " for model '\(job.modelID)'"
                let waited = Self.format(limits.noRunnerDeadline)
                let status: Clarifai_Api_Status_Status =
                    runnersBusy
                    ? .make(.modelBusyPleaseRetry, "Every runner\(model) stayed busy for \(waited); retry later")
                    : .make(.runnerDoesNotExist, "No runner\(model) is connected to the local API (waited \(waited))")
                expired.append((job.id, status))
            case .poll(_, let lastActivity) where lastActivity + limits.pollInactivityLimit <= now:
                let silent = Self.format(limits.pollInactivityLimit)
                expired.append(
                    (job.id, .make(.runnerProcessingFailed, "The polling runner sent nothing for \(silent); the request was given up"))
                )
            default:
                break
            }
        }
        for (id, _) in expired { removeJob(id) }
        return expired.sorted { $0.0 < $1.0 }.map { (jobID: $0.0, status: $0.1) }
    }

    /// The next instant at which ``expire(now:)`` has something to do.
    func nextDeadline() -> Instant? {
        jobs.values.compactMap { job -> Instant? in
            switch job.placement {
            case .queued(let since): return since + limits.noRunnerDeadline
            case .poll(_, let lastActivity): return lastActivity + limits.pollInactivityLimit
            case .stream: return nil
            }
        }.min()
    }

    /// Stops handing out work: releases every waiter and fails queued jobs. Placed jobs carry on,
    /// so a graceful shutdown drains them.
    mutating func shutDown() -> ShutdownOutcome {
        isShutDown = true
        let released = waiters
        waiters = []
        let failed = queue.map { id in
            (jobID: id, status: Clarifai_Api_Status_Status.make(.modelBusyPleaseRetry, "The local API is shutting down; retry against a running one"))
        }
        for id in queue { removeJob(id) }
        return ShutdownOutcome(waiters: released, failedJobs: failed)
    }

    // MARK: Helpers

    /// Hands an item to a waiting poll of the runner id, or keeps it in the mailbox; returns the poll.
    private mutating func deliverToPoll(runnerID: String, item: Clarifai_Api_RunnerItem) -> UInt64? {
        if let index = waiters.firstIndex(where: { $0.kind == .poll && $0.runnerID == runnerID }) {
            return waiters.remove(at: index).id
        }
        mailboxes[runnerID, default: []].append(item)
        return nil
    }

    /// Forgets a job everywhere; mailbox items for it become pointless.
    @discardableResult
    private mutating func removeJob(_ jobID: String) -> JobRecord? {
        guard let job = jobs.removeValue(forKey: jobID) else { return nil }
        switch job.placement {
        case .queued:
            queue.removeAll { $0 == jobID }
        case .poll(let runnerID, _):
            purgeMailbox(runnerID: runnerID, jobID: jobID)
        case .stream:
            break
        }
        return job
    }

    private mutating func purgeMailbox(runnerID: String, jobID: String) {
        guard var box = mailboxes[runnerID] else { return }
        box.removeAll { $0.id == jobID }
        mailboxes[runnerID] = box.isEmpty ? nil : box
    }

    /// A duration as whole seconds (or milliseconds below one second), for descriptions.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds >= 1 { return "\(seconds)s" }
        return "\(attoseconds / 1_000_000_000_000_000)ms"
    }
}
