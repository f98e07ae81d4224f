import Synchronization

/// Stream-stream items being served on the polling path, by id: their later input arrives through
/// any poll of this runner and must reach the running session, in order.
///
/// Two polls can return one stream's consecutive follow-ups at nearly the same time, so arrival
/// order is not the caller's order. Follow-ups numbered `seq-N` (in `processing_id`) are held back
/// until every earlier number has been delivered.
final class PollSessions: Sendable {
    private struct Session {
        let continuation: AsyncStream<FollowUp>.Continuation
        var next = 1
        var early: [Int: FollowUp] = [:]
    }

    private struct State {
        var sessions: [String: Session] = [:]
        /// Numbered follow-ups whose first item has not been seen yet (another poll is bringing it).
        var orphans: [String: [Int: FollowUp]] = [:]
    }

    /// Orphans kept at most; beyond this the oldest are dropped (their session never came).
    static let maxOrphans = 1024

    private let state = Mutex(State())

    func open(_ itemID: String) -> AsyncStream<FollowUp> {
        let (stream, continuation) = AsyncStream<FollowUp>.makeStream()
        state.withLock { state in
            var session = Session(continuation: continuation)
            session.early = state.orphans.removeValue(forKey: itemID) ?? [:]
            Self.flush(&session)
            state.sessions[itemID] = session
        }
        return stream
    }

    /// Delivers a follow-up (with its sequence number, if the API gave one); returns false when no
    /// session has that id.
    func deliver(_ followUp: FollowUp, sequence: Int?, to itemID: String) -> Bool {
        state.withLock { state in
            guard var session = state.sessions[itemID] else {
                // A numbered follow-up is never new work: keep it for the session about to open.
                guard let sequence else { return false }
                if state.orphans.count >= Self.maxOrphans, let any = state.orphans.keys.first {
                    state.orphans.removeValue(forKey: any)
                }
                state.orphans[itemID, default: [:]][sequence] = followUp
                return true
            }
            guard let sequence else {
                session.continuation.yield(followUp)
                return true
            }
            session.early[sequence] = followUp
            Self.flush(&session)
            state.sessions[itemID] = session
            return true
        }
    }

    private static func flush(_ session: inout Session) {
        while let ready = session.early.removeValue(forKey: session.next) {
            session.continuation.yield(ready)
            session.next += 1
        }
    }

    func close(_ itemID: String) {
        state.withLock { $0.sessions.removeValue(forKey: itemID) }?.continuation.finish()
    }
}
