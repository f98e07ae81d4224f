import RunnerKit
import Testing

@Suite("Reconnect backoff")
struct ReconnectBackoffTests {
    /// A deterministic generator, so the jitter can be checked exactly.
    struct SeededGenerator: RandomNumberGenerator, Sendable {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    let backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(5))

    @Test("ceilings grow exponentially up to the maximum")
    func ceilings() {
        let ceilings = (0..<10).map { backoff.ceiling(forAttempt: $0) }
        #expect(ceilings[0] == .milliseconds(100))
        #expect(ceilings[1] == .milliseconds(200))
        #expect(ceilings[3] == .milliseconds(800))
        #expect(ceilings[9] == .seconds(5))
        #expect(zip(ceilings, ceilings.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("every delay is within its attempt's ceiling, and the delays are jittered")
    func jitter() {
        var delays = backoff.delays(using: SeededGenerator(state: 42))
        var seen: [Duration] = []
        for attempt in 0..<200 {
            let delay = delays.next()!
            #expect(delay >= .zero && delay <= backoff.ceiling(forAttempt: attempt))
            seen.append(delay)
        }
        // Full jitter: the late delays (all with a 5 s ceiling) are spread out, not equal.
        let late = seen.suffix(100)
        #expect(Set(late).count > 90)
        #expect(late.min()! < .seconds(1) && late.max()! > .seconds(4))
    }

    @Test("reset starts again from the first ceiling")
    func reset() {
        var delays = backoff.delays(using: SeededGenerator(state: 7))
        for _ in 0..<20 { _ = delays.next() }
        #expect(delays.attempt == 20)
        delays.reset()
        #expect(delays.attempt == 0)
        #expect(delays.next()! <= .milliseconds(100))
    }

    @Test("two runners with different seeds do not reconnect in lockstep")
    func noLockstep() {
        var a = backoff.delays(using: SeededGenerator(state: 1))
        var b = backoff.delays(using: SeededGenerator(state: 2))
        let pairs = (0..<20).map { _ in (a.next()!, b.next()!) }
        #expect(pairs.filter { $0.0 == $0.1 }.isEmpty)
    }
}
