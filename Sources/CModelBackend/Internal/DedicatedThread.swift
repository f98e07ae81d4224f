#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX thread the host owns, for running plugin code off Swift's cooperative pool.
///
/// Plugin calls block for as long as inference takes; on the cooperative pool (two threads on a
/// two-core machine) that would stall every other task of the process.
final class DedicatedThread: Sendable {
    private struct Handle: @unchecked Sendable {
        // pthread_t is a plain integer on Linux and a pointer on Darwin; only `join` uses it.
        var thread: pthread_t
    }

    private let handle: Handle

    private init(handle: Handle) {
        self.handle = handle
    }

    /// Starts a joinable thread running `body`.
    static func start(name: String, stackSize: Int, _ body: @escaping @Sendable () -> Void) -> DedicatedThread {
        DedicatedThread(handle: Handle(thread: spawn(name: name, stackSize: stackSize, detached: false, body)))
    }

    /// Runs `body` on a new detached thread and returns its result to the awaiting task.
    static func run<T: Sendable>(
        name: String,
        stackSize: Int,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            _ = spawn(name: name, stackSize: stackSize, detached: true) {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Blocks until the thread has finished. Call once, and never from the thread itself.
    func join() {
        _ = pthread_join(handle.thread, nil)
    }

    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    private static func spawn(
        name: String,
        stackSize: Int,
        detached: Bool,
        _ body: @escaping @Sendable () -> Void
    ) -> pthread_t {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, max(stackSize, 256 << 10))
        if detached {
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        }
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        let result = pthread_create(&thread, &attributes, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            #if canImport(Darwin)
            // Names show up in debuggers and crash reports; Glibc does not export the setter to Swift.
            _ = pthread_setname_np(String(start.name.prefix(63)))
            #endif
            start.body()
            return nil
        }, start)
        // Without a thread the host cannot honour any plugin contract; this only happens when the
        // process is out of resources, where continuing would fail in worse ways.
        precondition(result == 0, "pthread_create failed: \(result)")
        #if canImport(Darwin)
        return thread!
        #else
        return thread
        #endif
    }
}
