import Foundation
import Synchronization

/// Dedicated threads for model code.
///
/// Handlers run with this executor as their task executor preference, so a handler that blocks
/// (a CPU-bound loop, a C call) occupies one of these threads and never one of Swift's cooperative
/// pool, which keeps the engine's network work responsive.
public final class ModelExecutor: TaskExecutor, Sendable {
    private struct Queue {
        var jobs: [UnownedJob] = []
        var head = 0
        var stopped = false
    }

    private let queue = Mutex(Queue())
    private let condition = NSCondition()

    /// Starts `threads` worker threads named `model-N`.
    public init(threads: Int) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in self.work() }
            thread.name = "model-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        queue.withLock { $0.jobs.append(unowned) }
        condition.signal()
        condition.unlock()
    }

    /// Lets the worker threads exit once the queue is empty.
    public func shutdown() {
        condition.lock()
        queue.withLock { $0.stopped = true }
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while let job = nextJob() {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private func nextJob() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let (job, stopped) = queue.withLock { queue -> (UnownedJob?, Bool) in
                guard queue.head < queue.jobs.count else { return (nil, queue.stopped) }
                let job = queue.jobs[queue.head]
                queue.head += 1
                if queue.head > 1024, queue.head * 2 > queue.jobs.count {
                    queue.jobs.removeFirst(queue.head)
                    queue.head = 0
                }
                return (job, false)
            }
            if let job { return job }
            if stopped { return nil }
            condition.wait()
        }
    }
}
