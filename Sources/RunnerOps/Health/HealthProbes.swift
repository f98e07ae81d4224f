/// The answers behind the three Kubernetes-style probe paths.
///
/// They are closures so the health server depends on nothing in the runner; the `run` command
/// wires them to the engine. They are called on a NIO event loop for every request, so they must
/// be cheap and must not block (read an atomic or a lock-protected flag).
public struct HealthProbes: Sendable {
    /// `/healthz/liveness`: false means "restart me" (the process is wedged).
    public var liveness: @Sendable () -> Bool
    /// `/healthz/readiness`: false means "do not send me work right now" (streams not up, draining).
    public var readiness: @Sendable () -> Bool
    /// `/healthz/startup`: false until start-up (model load, first connection) has finished.
    public var startup: @Sendable () -> Bool

    /// Creates the probes. Liveness defaults to "answering at all means alive".
    public init(
        liveness: @escaping @Sendable () -> Bool = { true },
        readiness: @escaping @Sendable () -> Bool,
        startup: @escaping @Sendable () -> Bool
    ) {
        self.liveness = liveness
        self.readiness = readiness
        self.startup = startup
    }
}
