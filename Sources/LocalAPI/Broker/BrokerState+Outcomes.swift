import ClarifaiAPI

extension BrokerState {
    /// The result of submitting a job.
    enum SubmitOutcome: Sendable {
        /// A waiter took the job at once.
        case assigned(Waiter, JobAssignment)
        /// The job waits in the queue.
        case queued
        /// The job was refused (queue full, shutting down).
        case rejected(Clarifai_Api_Status_Status)
    }

    /// The result of a waiter arriving.
    enum WaiterOutcome: Sendable {
        /// The waiter took a queued job.
        case assigned(JobAssignment)
        /// A poll took an item from its runner id's mailbox.
        case mailbox(Clarifai_Api_RunnerItem)
        /// Nothing to do yet: the waiter is registered.
        case waiting
        /// The server is shutting down; no work will come.
        case shutDown
    }

    /// Where a stream-stream caller's further input must go.
    enum InputRoute: Sendable, Equatable {
        /// The job is not on a runner yet; the input is kept for its assignment.
        case buffered
        /// To the work stream with this id.
        case stream(UInt64)
        /// Straight to a waiting poll of the job's runner id.
        case poll(waiterID: UInt64, item: Clarifai_Api_RunnerItem)
        /// Into the runner id's mailbox, for its next poll.
        case mailboxed
        /// The job is over; the input is dropped.
        case dropped
    }

    /// What to do after a runner lost a job.
    enum LossOutcome: Sendable {
        /// Back in the queue, waiting for another runner.
        case requeued
        /// Handed at once to another waiter.
        case reassigned(Waiter, JobAssignment)
        /// The job ended: tell the caller this status.
        case failed(Clarifai_Api_Status_Status)
        /// No such job (already over).
        case unknown
    }

    /// Where a caller's cancellation must be sent.
    enum CancelRoute: Sendable, Equatable {
        /// The job was already over.
        case none
        /// The job was only queued; removing it was enough.
        case dequeued
        /// The job is on this work stream of this runner process: stop the stream's forwarding and
        /// cancel on the runner's control stream.
        case stream(waiterID: UInt64, runnerID: String, replicaID: String)
        /// The job is on the poll path; the cancel item goes to a waiting poll, or to the mailbox.
        case poll(waiterID: UInt64?, item: Clarifai_Api_RunnerItem)
    }

    /// What a runner's answer did to its job.
    enum AnswerOutcome: Sendable, Equatable {
        /// Forwarded; the job goes on.
        case forwarded
        /// Forwarded (if it carried an output) and the job is over.
        case finished
        /// No such job (cancelled, expired or already answered).
        case unknownJob
    }

    /// What the shutdown released.
    struct ShutdownOutcome: Sendable {
        /// Waiters that will get no work.
        var waiters: [Waiter]
        /// Queued jobs that will get no runner, with the status for their callers.
        var failedJobs: [(jobID: String, status: Clarifai_Api_Status_Status)]
    }
}
