import Foundation

/// Delays between reconnection attempts: exponential growth capped at ``maximum``, with full jitter.
///
/// A pure value so it can be tested without a network: ``delays(using:)`` is the sequence the
/// engine sleeps through, attempt after attempt, until a healthy stream resets it.
public struct ReconnectBackoff: Sendable, Equatable {
    /// The ceiling of the first delay.
    public var initial: Duration = .milliseconds(100)
    /// The largest ceiling any delay may have. Small, because a loop's attempt while the API is
    /// down fails locally (the connection's own backoff limits network attempts), and work should
    /// resume soon after the API returns.
    public var maximum: Duration = .seconds(2)
    /// How much the ceiling grows per attempt.
    public var multiplier: Double = 2

    /// Creates the default backoff: 100 ms growing twofold to 2 s.
    public init() {}

    /// Creates a backoff with the given bounds.
    public init(initial: Duration, maximum: Duration, multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The ceiling for attempt `n` (0-based): `initial * multiplier^n`, at most ``maximum``.
    public func ceiling(forAttempt n: Int) -> Duration {
        let initialSeconds = initial.seconds
        let grown = initialSeconds * pow(multiplier, Double(min(n, 64)))
        return .seconds(min(grown, maximum.seconds))
    }

    /// The delays of successive attempts; each is uniform in `0...ceiling(forAttempt: n)` ("full jitter"),
    /// so that many runners cut off together do not come back in lockstep.
    public func delays<G: RandomNumberGenerator & Sendable>(using generator: G) -> Delays<G> {
        Delays(backoff: self, generator: generator)
    }

    /// The delays with the system's random numbers.
    public func delays() -> Delays<SystemRandomNumberGenerator> {
        delays(using: SystemRandomNumberGenerator())
    }

    /// An endless sequence of jittered delays.
    public struct Delays<G: RandomNumberGenerator & Sendable>: Sequence, IteratorProtocol, Sendable {
        let backoff: ReconnectBackoff
        var generator: G
        /// The number of delays handed out so far.
        public private(set) var attempt = 0

        public mutating func next() -> Duration? {
            let ceiling = backoff.ceiling(forAttempt: attempt).seconds
            attempt += 1
            return .seconds(Double.random(in: 0...ceiling, using: &generator))
        }

        /// Starts again from the first attempt, after a healthy period.
        public mutating func reset() { attempt = 0 }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
