import Synchronization

/// The items in flight, by id, so that a cancellation from the API reaches the right handler.
final class CancellationRegistry: Sendable {
    private struct Entry {
        let flag: CancellationFlag
        let cancelTask: @Sendable (ItemCancellation.Reason) -> Void
    }

    private let entries = Mutex<[String: [Entry]]>([:])

    /// Registers an item; `cancelTask` stops it for the reason given.
    func add(itemID: String, flag: CancellationFlag, cancelTask: @escaping @Sendable (ItemCancellation.Reason) -> Void) {
        entries.withLock { $0[itemID, default: []].append(Entry(flag: flag, cancelTask: cancelTask)) }
    }

    func remove(itemID: String) {
        _ = entries.withLock { $0.removeValue(forKey: itemID) }
    }

    /// Cancels an item; returns whether it was in flight here.
    @discardableResult
    func cancel(itemID: String) -> Bool {
        guard let found = entries.withLock({ $0[itemID] }) else { return false }
        for entry in found {
            entry.flag.cancel()
            entry.cancelTask(.api)
        }
        return true
    }

    /// Cancels every item, at the end of a drain that ran out of time: they are answered as
    /// failures ("runner shutting down"), not dropped like items the API cancelled.
    func cancelAll() {
        let all = entries.withLock { $0.values.flatMap { $0 } }
        for entry in all {
            entry.flag.cancel()
            entry.cancelTask(.shutdown)
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
