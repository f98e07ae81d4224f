import Synchronization

/// Raised once when graceful shutdown begins: loops stop asking for work and idle streams close,
/// while items in flight carry on.
final class DrainSignal: Sendable {
    private struct State {
        var draining = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var idle: [UInt64: @Sendable () -> Void] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    var isDraining: Bool { state.withLock { $0.draining } }

    /// Begins the drain: wakes every waiter and tells every idle stream to close.
    func begin() {
        let (waiters, idle) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [@Sendable () -> Void]) in
            guard !state.draining else { return ([], []) }
            state.draining = true
            defer { state.waiters = [:]; state.idle = [:] }
            return (Array(state.waiters.values), Array(state.idle.values))
        }
        waiters.forEach { $0.resume() }
        idle.forEach { $0() }
    }

    /// Suspends until the drain begins, or the task is cancelled.
    func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.draining || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Sleeps for `duration`, or less if the drain begins first.
    func sleep(for duration: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await PromptTimer.sleep(for: duration) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Registers an idle stream's close action; runs it at once if draining. Returns a token.
    func registerIdle(_ close: @escaping @Sendable () -> Void) -> UInt64? {
        let id = state.withLock { state -> UInt64? in
            guard !state.draining else { return nil }
            state.nextID += 1
            state.idle[state.nextID] = close
            return state.nextID
        }
        if id == nil { close() }
        return id
    }

    /// The stream is no longer idle.
    func unregisterIdle(_ id: UInt64?) {
        guard let id else { return }
        _ = state.withLock { $0.idle.removeValue(forKey: id) }
    }
}
