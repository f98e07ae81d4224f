/// A runner-side consumer waiting for work: an idle work stream, or a pending `ListRunnerItems` poll.
struct Waiter: Sendable, Equatable {
    /// How the waiter talks to its runner.
    enum Kind: Sendable, Equatable {
        /// A `ProcessRunnerItems` work stream; follow-ups and cancels go through the stream and the
        /// runner's control stream.
        case stream
        /// A `ListRunnerItems` long poll; follow-ups and cancels go to the runner id's mailbox.
        case poll
    }

    /// Unique for the server's lifetime; a work stream keeps it as its identity after assignment.
    var id: UInt64
    /// The runner id from the handshake (or the poll request).
    var runnerID: String
    /// The runner process's replica id, used to aim cancellations at the right control stream.
    var replicaID: String
    /// The kind of waiter.
    var kind: Kind
}
