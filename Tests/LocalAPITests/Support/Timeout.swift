/// Thrown when a test step outlives its time limit.
struct TestTimedOut: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "Timed out after \(limit)" }
}

/// Runs `body`, failing if it takes longer than `limit`, so no test can hang the suite.
func withTimeLimit<Result: Sendable>(
    _ limit: Duration = .seconds(20),
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else {
            throw TestTimedOut(limit: limit)
        }
        return result
    }
}
