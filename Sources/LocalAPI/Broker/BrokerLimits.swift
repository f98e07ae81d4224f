/// The bounds the broker enforces, taken from ``LocalAPIConfiguration``.
struct BrokerLimits: Sendable {
    /// Beyond this many queued jobs, new requests are refused as busy.
    var maxQueued: Int
    /// How long a job may wait in the queue for a runner.
    var noRunnerDeadline: Duration
    /// How long a job handed to a poll may go without any answer before it is failed; the poll path
    /// cannot see a runner process die, so this is what stops its callers from waiting forever.
    var pollInactivityLimit: Duration = .seconds(300)
}
