import Synchronization

/// One plugin instance and the threads dedicated to it.
///
/// The lane has exactly as many threads as the calls the plugin allows on one instance at a time,
/// so the contract holds by construction: no lock, no counting, no way to enter twice.
final class InstanceLane: Sendable {
    /// The instance number given to `instance_create`.
    let index: Int
    /// The plugin's instance handle (or its model handle, when it has no `instance_create`).
    let instance: PluginPointer
    /// How many threads serve this instance.
    let threadCount: Int

    private let queue = JobQueue()
    private let threads: [DedicatedThread]
    private let pending = Atomic<Int>(0)

    init(index: Int, instance: PluginPointer, threadCount: Int, stackSize: Int, namePrefix: String) {
        self.index = index
        self.instance = instance
        self.threadCount = threadCount
        let queue = self.queue
        self.threads = (0..<threadCount).map { slot in
            DedicatedThread.start(name: "\(namePrefix)\(index).\(slot)", stackSize: stackSize) {
                while let job = queue.take() { job() }
            }
        }
    }

    /// Calls queued or running on this lane; used to spread new calls across instances.
    var load: Int { pending.load(ordering: .relaxed) }

    /// Runs `body` on one of the lane's threads and returns its result. `nil` if the lane is shut down.
    func run<T: Sendable>(_ body: @escaping @Sendable (PluginPointer) -> T) async -> T? {
        pending.add(1, ordering: .relaxed)
        defer { pending.subtract(1, ordering: .relaxed) }
        let instance = self.instance
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let queued = queue.push {
                continuation.resume(returning: body(instance))
            }
            if !queued { continuation.resume(returning: nil) }
        }
    }

    /// Lets the queued calls finish, then stops and joins the threads. Blocks: call it on a
    /// dedicated thread.
    func shutdown() {
        queue.close(consumers: threadCount)
        for thread in threads { thread.join() }
    }
}
