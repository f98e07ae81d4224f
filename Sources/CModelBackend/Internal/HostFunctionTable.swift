import CClarifaiRunnerABI
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `clarifai_host_api` one plugin library receives, at a fixed address until it is closed.
///
/// The C functions cannot capture anything, so each finds its context through the
/// `clarifai_call *` the plugin passes back.
final class HostFunctionTable: @unchecked Sendable {
    // Written once in init, then only read by plugin threads; freed in deinit after dlclose.
    let pointer: UnsafeMutablePointer<clarifai_host_api>
    private let versionString: UnsafeMutablePointer<CChar>

    /// The table for a given output limit, created once and kept for the life of the process.
    ///
    /// A plugin keeps the host pointer in a global, and `dlopen` of a path already open returns the
    /// same library: freeing one load's table while another load of the same file still runs would
    /// leave that global dangling. A handful of tables per process is all this ever keeps.
    static func shared(maxOutputBytes: Int) -> HostFunctionTable {
        sharedTables.withLock { tables in
            if let table = tables[maxOutputBytes] { return table }
            let table = HostFunctionTable(maxOutputBytes: maxOutputBytes)
            tables[maxOutputBytes] = table
            return table
        }
    }

    private static let sharedTables = Mutex<[Int: HostFunctionTable]>([:])

    private init(maxOutputBytes: Int) {
        versionString = strdup("clarifai-runner/ABI \(CLARIFAI_RUNNER_ABI_MAJOR).\(CLARIFAI_RUNNER_ABI_MINOR)")!
        pointer = .allocate(capacity: 1)
        var table = clarifai_host_api()
        table.struct_size = UInt32(MemoryLayout<clarifai_host_api>.size)
        table.abi_major = UInt32(CLARIFAI_RUNNER_ABI_MAJOR)
        table.abi_minor = UInt32(CLARIFAI_RUNNER_ABI_MINOR)
        table.host_version = UnsafePointer(versionString)
        table.max_output_bytes = max(0, maxOutputBytes)
        table.emit = { call, output, flags in
            guard let call else { return CLARIFAI_STATUS_INVALID_ARGUMENT }
            return PluginCall.from(call).emit(output, flags: flags)
        }
        table.fail = { call, status, message in
            if let call {
                PluginCall.from(call).recordFailure(message.map { String(cString: $0) } ?? "")
            }
            // A plugin that "fails" with OK still failed: it asked for an error message.
            return status == CLARIFAI_STATUS_OK ? CLARIFAI_STATUS_INTERNAL : status
        }
        table.is_cancelled = { call in
            guard let call else { return 0 }
            return PluginCall.from(call).isCancelled ? 1 : 0
        }
        table.log = { call, level, message in
            let text = message.map { String(cString: $0) } ?? ""
            let logger = call.map { PluginCall.from($0).logger } ?? PluginLogFallback.current()
            logger?.log(level: HostFunctionTable.level(level), "\(text)")
        }
        pointer.initialize(to: table)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
        free(versionString)
    }

    static func level(_ level: clarifai_log_level) -> Logger.Level {
        switch level {
        case ...CLARIFAI_LOG_TRACE: .trace
        case CLARIFAI_LOG_DEBUG: .debug
        case CLARIFAI_LOG_INFO: .info
        case CLARIFAI_LOG_WARNING: .warning
        default: .error
        }
    }
}

/// Where `log(NULL, ...)` lines go: the logger of the most recently loaded plugin still loaded.
///
/// The ABI lets plugins log without a call handle (from threads that have none); this is the best
/// attribution a host can make without one.
enum PluginLogFallback {
    private static let loggers = Mutex<[(id: ObjectIdentifier, logger: Logger)]>([])

    static func register(_ owner: AnyObject, logger: Logger) {
        loggers.withLock { $0.append((ObjectIdentifier(owner), logger)) }
    }

    static func unregister(_ owner: AnyObject) {
        loggers.withLock { $0.removeAll { $0.id == ObjectIdentifier(owner) } }
    }

    static func current() -> Logger? {
        loggers.withLock { $0.last?.logger }
    }
}
