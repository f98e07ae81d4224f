import Synchronization

/// A thread-safe flag that the engine raises when an item is cancelled.
///
/// Blocking model code (including native plugins on their own threads) polls ``isCancelled``
/// between steps; it cannot see Swift task cancellation.
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Creates a flag that is not raised.
    public init() {}

    /// Whether the item was cancelled.
    public var isCancelled: Bool { raised.load(ordering: .acquiring) }

    /// Raises the flag. Raising it twice is harmless.
    public func cancel() { raised.store(true, ordering: .releasing) }
}
