/// Settings for ``LocalAPIServer``.
///
/// The defaults match what the runner engine expects of the local API (see `docs/wire-dialogue.md`):
/// idle work streams are answered well under the 40 s the official runner tolerates, and polls are
/// held long enough to avoid a hot loop.
public struct LocalAPIConfiguration: Sendable {
    /// The address to bind. Loopback by default, because the local API has no TLS.
    public var host: String = "127.0.0.1"

    /// The TCP port to bind; `0` asks the system for an ephemeral port (read it back with
    /// ``LocalAPIServer/listeningPort()``).
    public var port: Int = 0

    /// The accepted personal access tokens.
    ///
    /// A call is accepted when its `authorization: Key <PAT>` metadata, or its
    /// `x-clarifai-session-token`, equals one of these. With an empty list every call is refused.
    public var pats: [String]

    /// How long a work stream may wait for work before it is answered `RUNNER_NEEDS_RETRY` and ended.
    public var idleStreamTimeout: Duration = .seconds(20)

    /// How long a `ListRunnerItems` long poll is held before it is answered `RUNNER_NEEDS_RETRY`.
    public var pollWait: Duration = .seconds(10)

    /// How long a caller's request may wait for a runner before it fails with a clear status.
    public var noRunnerDeadline: Duration = .seconds(30)

    /// How many requests may wait for a runner at once; beyond this, callers are answered
    /// `MODEL_BUSY_PLEASE_RETRY` at once instead of piling up.
    public var maxQueuedRequests: Int = 1000

    /// A JSON file where runner records (`PostRunners`) are kept across restarts; `nil` keeps them
    /// in memory only.
    public var runnerStorePath: String? = nil

    /// Creates a configuration accepting the given personal access tokens, with defaults elsewhere.
    public init(pats: [String]) {
        self.pats = pats
    }
}
