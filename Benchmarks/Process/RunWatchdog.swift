import Foundation
import Synchronization

/// Ends the whole run if it takes far longer than planned, so a wedged peer (a runner that stops
/// answering, a server that never ends a call) cannot keep the benchmark, or its children, alive.
enum RunWatchdog {
    private static let children = Mutex<Set<Int32>>([])
    private static let step = Mutex("starting")

    /// Notes the step the run is in, for the message if the watchdog fires.
    static func entering(_ name: String) {
        step.withLock { $0 = name }
        Progress.say(name)
    }

    static func track(_ pid: Int32) { _ = children.withLock { $0.insert(pid) } }
    static func untrack(_ pid: Int32) { _ = children.withLock { $0.remove(pid) } }

    /// Starts the watchdog: after `limit`, it kills the children still running and exits with status 2.
    static func arm(limit: Duration) {
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: limit.seconds)
            let stuck = step.withLock { $0 }
            FileHandle.standardError.write(Data("bench: gave up after \(Int(limit.seconds)) s, stuck in: \(stuck)\n".utf8))
            for pid in children.withLock({ $0 }) { kill(pid, SIGKILL) }
            exit(2)
        }
    }
}
