import Logging
import ServiceLifecycle

/// Runs services in a `ServiceGroup` while `body` runs, then shuts them down gracefully, so every
/// scenario leaves nothing running behind it.
enum ServiceScope {
    static func with<R: Sendable>(_ services: [any Service], logger: Logger, _ body: () async throws -> R) async throws -> R {
        let group = ServiceGroup(services: services, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
