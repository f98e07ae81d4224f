import ClarifaiAPI
import Testing

@testable import LocalAPI

/// The broker's decisions, without a network.
@Suite struct BrokerStateTests {
    let t0 = ContinuousClock.now
    let limits = BrokerLimits(maxQueued: 3, noRunnerDeadline: .seconds(30))

    func job(_ id: String, model: String = "m1", mode: Clarifai_Api_RunnerMethodType = .unaryUnary) -> JobRecord {
        JobRecord(id: id, mode: mode, request: Fixtures.request(model: model, texts: [id]), now: t0)
    }

    func streamWaiter(_ id: UInt64, runner: String = "r1") -> Waiter {
        Waiter(id: id, runnerID: runner, replicaID: "rep", kind: .stream)
    }

    func pollWaiter(_ id: UInt64, runner: String = "p1") -> Waiter {
        Waiter(id: id, runnerID: runner, replicaID: "", kind: .poll)
    }

    @Test func queuedJobsGoFirstComeFirstServed() {
        var state = BrokerState(limits: limits)
        guard case .queued = state.submit(job("a"), now: t0) else { Issue.record("not queued"); return }
        guard case .queued = state.submit(job("b"), now: t0) else { Issue.record("not queued"); return }
        guard case .assigned(let first) = state.addWaiter(streamWaiter(1), now: t0),
            case .assigned(let second) = state.addWaiter(streamWaiter(2), now: t0)
        else { Issue.record("not assigned"); return }
        #expect(first.jobID == "a")
        #expect(second.jobID == "b")
        #expect(state.queue.isEmpty)
    }

    @Test func waitingStreamsAreServedInArrivalOrder() {
        var state = BrokerState(limits: limits)
        _ = state.addWaiter(streamWaiter(1, runner: "r1"), now: t0)
        _ = state.addWaiter(streamWaiter(2, runner: "r2"), now: t0)
        guard case .assigned(let waiter, _) = state.submit(job("a"), now: t0) else { Issue.record("not assigned"); return }
        #expect(waiter.id == 1)
        #expect(state.waiters.map(\.id) == [2])
    }

    @Test func registeredRunnerOnlyServesItsModel() {
        var state = BrokerState(limits: limits)
        _ = state.setModelFilters(["r1": "m1"], now: t0)
        _ = state.addWaiter(streamWaiter(1, runner: "r1"), now: t0)
        guard case .queued = state.submit(job("other", model: "m2"), now: t0) else {
            Issue.record("a runner registered for m1 took an m2 job"); return
        }
        guard case .assigned(let waiter, let assignment) = state.submit(job("mine", model: "m1"), now: t0) else {
            Issue.record("not assigned"); return
        }
        #expect(waiter.id == 1 && assignment.jobID == "mine")
        // A runner without a record serves any model.
        guard case .assigned(let any) = state.addWaiter(streamWaiter(2, runner: "free"), now: t0) else {
            Issue.record("unregistered runner got nothing"); return
        }
        #expect(any.jobID == "other")
    }

    @Test func liftingAFilterHandsQueuedJobsToWaiters() {
        var state = BrokerState(limits: limits)
        _ = state.setModelFilters(["r1": "m1"], now: t0)
        _ = state.addWaiter(streamWaiter(1, runner: "r1"), now: t0)
        _ = state.submit(job("x", model: "m2"), now: t0)
        let matches = state.setModelFilters([:], now: t0)
        #expect(matches.map(\.1.jobID) == ["x"])
        #expect(matches.map(\.0.id) == [1])
    }

    @Test func fullQueueAnswersBusy() {
        var state = BrokerState(limits: limits)
        for id in ["a", "b", "c"] { _ = state.submit(job(id), now: t0) }
        guard case .rejected(let status) = state.submit(job("d"), now: t0) else { Issue.record("accepted"); return }
        #expect(status.code == .modelBusyPleaseRetry)
        #expect(status.description_p.contains("3 requests"))
        #expect(state.jobs["d"] == nil)
    }

    @Test func lostJobIsRequeuedOnceThenFailed() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("a"), now: t0)
        _ = state.submit(job("b"), now: t0)
        _ = state.addWaiter(streamWaiter(1), now: t0)  // takes a
        guard case .requeued = state.runnerLost(jobID: "a", countAttempt: true, now: t0) else {
            Issue.record("not requeued"); return
        }
        #expect(state.queue == ["a", "b"], "a re-queued job keeps its place at the head")
        guard case .assigned(let again) = state.addWaiter(streamWaiter(2), now: t0) else { Issue.record("no job"); return }
        #expect(again.jobID == "a")
        guard case .failed(let status) = state.runnerLost(jobID: "a", countAttempt: true, now: t0) else {
            Issue.record("requeued twice"); return
        }
        #expect(status.code == .runnerProcessingFailed)
        #expect(status.description_p.contains("disconnected"))
        #expect(state.jobs["a"] == nil)
    }

    @Test func lostJobGoesStraightToAWaitingStream() {
        var state = BrokerState(limits: limits)
        _ = state.addWaiter(streamWaiter(1), now: t0)
        _ = state.submit(job("a"), now: t0)
        _ = state.addWaiter(streamWaiter(2), now: t0)
        guard case .reassigned(let waiter, let assignment) = state.runnerLost(jobID: "a", countAttempt: true, now: t0) else {
            Issue.record("not reassigned"); return
        }
        #expect(waiter.id == 2 && assignment.jobID == "a")
    }

    @Test func unsentJobDoesNotUseItsRequeue() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("a"), now: t0)
        _ = state.addWaiter(streamWaiter(1), now: t0)
        _ = state.runnerLost(jobID: "a", countAttempt: false, now: t0)
        _ = state.addWaiter(streamWaiter(2), now: t0)
        guard case .requeued = state.runnerLost(jobID: "a", countAttempt: true, now: t0) else {
            Issue.record("the free hand-back counted as an attempt"); return
        }
    }

    @Test func jobWithForwardedOutputsIsNotReplayed() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("g", mode: .unaryStreaming), now: t0)
        _ = state.addWaiter(streamWaiter(1), now: t0)
        let (outcome, events) = state.apply(.outputs([Fixtures.response(texts: ["x"])], runnerFailed: false), jobID: "g", now: t0)
        #expect(outcome == .forwarded)
        #expect(events.count == 1)
        guard case .failed(let status) = state.runnerLost(jobID: "g", countAttempt: true, now: t0) else {
            Issue.record("replayed after outputs"); return
        }
        #expect(status.code == .runnerProcessingFailed)
        #expect(status.description_p.contains("part of the outputs"))
    }

    @Test func unaryFirstAnswerIsFinal() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("u"), now: t0)
        _ = state.addWaiter(streamWaiter(1), now: t0)
        let (outcome, _) = state.apply(.outputs([Fixtures.response(texts: ["x"])], runnerFailed: false), jobID: "u", now: t0)
        #expect(outcome == .finished)
        #expect(state.apply(.endOfOutputs, jobID: "u", now: t0).outcome == .unknownJob)
    }

    @Test func queuedJobExpiresAtTheNoRunnerDeadline() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("a"), now: t0)
        #expect(state.nextDeadline() == t0 + .seconds(30))
        #expect(state.expire(now: t0 + .seconds(29)).isEmpty)
        let expired = state.expire(now: t0 + .seconds(30))
        #expect(expired.map(\.jobID) == ["a"])
        #expect(expired.first?.status.code == .runnerDoesNotExist)
        #expect(expired.first?.status.description_p.contains("m1") == true)
        #expect(state.queue.isEmpty && state.jobs.isEmpty)
    }

    @Test func expiryWhileRunnersAreBusySaysBusy() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("running"), now: t0)
        _ = state.addWaiter(streamWaiter(1), now: t0)
        _ = state.submit(job("waiting"), now: t0)
        let expired = state.expire(now: t0 + .seconds(31))
        #expect(expired.map(\.jobID) == ["waiting"])
        #expect(expired.first?.status.code == .modelBusyPleaseRetry)
    }

    @Test func requeueRestartsTheDeadline() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("a"), now: t0)
        _ = state.addWaiter(streamWaiter(1), now: t0 + .seconds(20))
        _ = state.runnerLost(jobID: "a", countAttempt: true, now: t0 + .seconds(25))
        #expect(state.expire(now: t0 + .seconds(40)).isEmpty)
        #expect(state.expire(now: t0 + .seconds(55)).count == 1)
    }

    @Test func streamFollowUpsAreBufferedThenRoutedToTheStream() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("s", mode: .streamingStreaming), now: t0)
        #expect(state.callerInput(.message(Fixtures.request(texts: ["2"])), jobID: "s") == .buffered)
        guard case .assigned(let assignment) = state.addWaiter(streamWaiter(7), now: t0) else { Issue.record("no job"); return }
        #expect(assignment.inputs.count == 2)
        #expect(!assignment.inputEnded)
        #expect(state.callerInput(.end, jobID: "s") == .stream(7))
    }

    @Test func pollFollowUpsGoThroughTheMailbox() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("s", mode: .streamingStreaming), now: t0)
        _ = state.callerInput(.message(Fixtures.request(texts: ["2"])), jobID: "s")
        guard case .assigned(let assignment) = state.addWaiter(pollWaiter(1), now: t0) else { Issue.record("no job"); return }
        #expect(assignment.jobID == "s")
        #expect(state.mailboxes["p1"]?.count == 1, "the buffered follow-up waits for the next poll")
        guard case .mailbox(let followUp) = state.addWaiter(pollWaiter(2), now: t0) else { Issue.record("no follow-up"); return }
        #expect(followUp.id == "s")
        #expect(Fixtures.texts(followUp.postModelOutputsRequest) == ["2"])
        _ = state.addWaiter(pollWaiter(3), now: t0)
        guard case .poll(let waiterID, let end) = state.callerInput(.end, jobID: "s") else { Issue.record("not delivered"); return }
        #expect(waiterID == 3)
        #expect(end.processingInfo.status.code == .runnerStreamEnd)
    }

    @Test func cancellationRoutes() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("queued"), now: t0)
        #expect(state.callerCancelled(jobID: "queued") == .dequeued)
        #expect(state.queue.isEmpty)

        _ = state.addWaiter(streamWaiter(4, runner: "r9"), now: t0)
        _ = state.submit(job("onStream"), now: t0)
        #expect(state.callerCancelled(jobID: "onStream") == .stream(waiterID: 4, runnerID: "r9", replicaID: "rep"))
        #expect(state.callerCancelled(jobID: "onStream") == .none)

        _ = state.addWaiter(pollWaiter(5), now: t0)
        _ = state.submit(job("onPoll"), now: t0)
        guard case .poll(nil, let item) = state.callerCancelled(jobID: "onPoll") else { Issue.record("no poll cancel"); return }
        #expect(item.processingInfo.status.code == .runnerItemCancelled)
        #expect(state.mailboxes["p1"]?.map(\.id) == ["onPoll"])
    }

    @Test func shutdownReleasesWaitersAndFailsQueuedJobs() {
        var state = BrokerState(limits: limits)
        _ = state.submit(job("a"), now: t0)
        let outcome = state.shutDown()
        #expect(outcome.failedJobs.map(\.jobID) == ["a"])
        guard case .shutDown = state.addWaiter(streamWaiter(1), now: t0) else { Issue.record("waiter accepted"); return }
        guard case .rejected = state.submit(job("b"), now: t0) else { Issue.record("job accepted"); return }
    }

    @Test func runnerAnswersAreReadByTheProtocolRules() {
        var message = Clarifai_Api_PostRunnerItemOutputsRequest()
        message.status.code = .runnerStreamEnd
        #expect(RunnerAnswer(message) == .endOfOutputs)
        message.status = .make(.runnerProcessingFailed, "boom")
        guard case .failure(let status) = RunnerAnswer(message) else { Issue.record("not a failure"); return }
        #expect(status.description_p == "boom")
        message.status.code = .success
        #expect(RunnerAnswer(message) == .nothing)
    }
}
