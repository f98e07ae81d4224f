import GRPCCore

extension ServerContext {
    /// Runs `body`, calling `onPeerGone` if the RPC is cancelled meanwhile (the peer reset the call,
    /// its connection dropped, or its deadline passed).
    ///
    /// The server does not cancel a handler's task when the peer goes away; it only marks the RPC
    /// cancelled, so this watches for that mark in a child task.
    func whileWatchingForPeerGone<Result: Sendable>(
        onPeerGone: @escaping @Sendable () -> Void,
        _ body: () async -> Result
    ) async -> Result {
        let cancellation = self.cancellation
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await cancellation.cancelled
                    onPeerGone()
                } catch {
                    // The task was cancelled because `body` finished: nothing to do.
                }
            }
            let result = await body()
            group.cancelAll()
            return result
        }
    }
}
