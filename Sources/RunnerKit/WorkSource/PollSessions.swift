import Synchronization

/// Stream-stream items being served on the polling path, by id: their later input arrives through
/// any poll of this runner and must reach the running session.
final class PollSessions: Sendable {
    private let sessions = Mutex<[String: AsyncStream<FollowUp>.Continuation]>([:])

    func open(_ itemID: String) -> AsyncStream<FollowUp> {
        let (stream, continuation) = AsyncStream<FollowUp>.makeStream()
        sessions.withLock { $0[itemID] = continuation }
        return stream
    }

    /// Delivers a follow-up; returns false when no session has that id.
    func deliver(_ followUp: FollowUp, to itemID: String) -> Bool {
        guard let continuation = sessions.withLock({ $0[itemID] }) else { return false }
        continuation.yield(followUp)
        return true
    }

    func close(_ itemID: String) {
        sessions.withLock { $0.removeValue(forKey: itemID) }?.finish()
    }
}
