import Dispatch
import Synchronization

/// A blocking FIFO of work for the threads of one ``InstanceLane``.
///
/// Plugin threads sleep in ``take()``; Swift tasks only ever ``push(_:)``, which never blocks.
final class JobQueue: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job] = []
        var head = 0
        var closed = false
    }

    private let state = Mutex(State())
    // Counts queued jobs plus one wake-up per thread after close.
    private let available = DispatchSemaphore(value: 0)

    /// Queues `job`; returns `false` if the queue is closed.
    func push(_ job: @escaping Job) -> Bool {
        let accepted = state.withLock { state in
            guard !state.closed else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// Waits for the next job; `nil` once the queue is closed and empty.
    func take() -> Job? {
        available.wait()
        return state.withLock { state in
            guard state.head < state.jobs.count else { return nil }
            let job = state.jobs[state.head]
            state.head += 1
            // Compact now and then, so a long-lived queue does not keep every finished job.
            if state.head > 64, state.head * 2 > state.jobs.count {
                state.jobs.removeFirst(state.head)
                state.head = 0
            }
            return job
        }
    }

    /// Refuses new jobs; the `consumers` waiting threads finish the queued ones and then stop.
    func close(consumers: Int) {
        state.withLock { $0.closed = true }
        for _ in 0..<consumers { available.signal() }
    }
}
