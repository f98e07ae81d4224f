/// Everything the engine needs to know besides the handler.
public struct RunnerConfiguration: Sendable {
    /// Which RPCs bring work to the runner.
    public enum WorkSourceKind: String, Sendable, CaseIterable {
        /// `ProcessRunnerItems` bidirectional streams: the current protocol.
        case stream
        /// `ListRunnerItems` long polls answered with `PostRunnerItemOutputs`: for APIs or proxies
        /// that cannot hold a stream.
        case poll
    }

    /// The API to connect to.
    public var endpoint: APIEndpoint
    /// How to authenticate.
    public var credentials: RunnerCredentials
    /// Who the runner is.
    public var identity: RunnerIdentity
    /// The work source.
    public var workSource: WorkSourceKind = .stream
    /// How many work streams (or poll loops) wait for work at all times.
    public var parallelPolls: Int = 4
    /// The most items in flight at once, waiting streams included. When reached, the runner stops
    /// asking for work instead of queueing. Defaults to twice ``parallelPolls``.
    public var maxInFlight: Int?
    /// How long graceful shutdown waits for in-flight items before cancelling them.
    public var drainTimeout: Duration = .seconds(30)
    /// The longest one item may run; past it the item is cancelled and answered with a failure.
    public var itemTimeout: Duration = .seconds(600)
    /// The longest a stream-stream item may wait for the caller's next input.
    public var streamInputTimeout: Duration = .seconds(300)
    /// How long a stream may take to open before the attempt is abandoned and retried.
    public var streamOpenTimeout: Duration = .seconds(10)
    /// The longest a `ListRunnerItems` long poll may take before it is abandoned and retried.
    public var pollTimeout: Duration = .seconds(120)
    /// The largest serialized request the runner accepts, and the largest answer it sends.
    public var maxMessageBytes: Int = 128 * 1024 * 1024
    /// Limits for inputs given by URL.
    public var urlFetch: URLFetchLimits = .init()
    /// Delays between reconnection attempts.
    public var backoff: ReconnectBackoff = .init()
    /// Threads reserved for model code, so that blocking handlers never stall the engine.
    public var modelThreads: Int?

    /// Creates a configuration with the defaults above.
    public init(endpoint: APIEndpoint, credentials: RunnerCredentials, identity: RunnerIdentity) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.identity = identity
    }

    var effectiveMaxInFlight: Int { max(1, maxInFlight ?? parallelPolls * 2) }
    var effectiveModelThreads: Int { max(1, modelThreads ?? effectiveMaxInFlight) }
}

/// Limits on fetching inputs given by URL.
public struct URLFetchLimits: Sendable {
    /// The largest body accepted.
    public var maxBytes: Int = 64 * 1024 * 1024
    /// How long one fetch may take.
    public var timeout: Duration = .seconds(20)
    /// URL schemes that may be fetched; anything else fails the input.
    public var allowedSchemes: Set<String> = ["http", "https"]

    /// Creates the default limits: 64 MiB, 20 s, http and https.
    public init() {}
}
