import CClarifaiRunnerABI
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An opened plugin: the dlopen handle, the host table it was given and the function table it
/// returned, negotiated and checked.
final class PluginLibrary: @unchecked Sendable {
    // Immutable after `open`; the plugin table is a copy, so nothing here changes under a reader.

    /// The path given to `load`.
    let path: String
    /// The file's name, used to prefix per-call errors.
    let label: String
    /// The plugin's function table, zero-extended to this host's layout.
    let api: clarifai_plugin_api
    /// The name the plugin declared, or the file name.
    let name: String
    /// The version the plugin declared, or "unknown".
    let version: String
    let hostTable: HostFunctionTable
    private let handle: UnsafeMutableRawPointer

    private init(path: String, handle: UnsafeMutableRawPointer, hostTable: HostFunctionTable, api: clarifai_plugin_api) {
        self.path = path
        self.label = path.split(separator: "/").last.map(String.init) ?? path
        self.handle = handle
        self.hostTable = hostTable
        self.api = api
        self.name = api.name.flatMap { String(validatingCString: $0) } ?? label
        self.version = api.version.flatMap { String(validatingCString: $0) } ?? "unknown"
    }

    /// The size of a v1.0 plugin table: the smallest this host accepts.
    static let minimumTableSize = MemoryLayout<clarifai_plugin_api>.offset(of: \.stream_close)!
        + MemoryLayout<UnsafeRawPointer>.size

    /// Opens the library, calls its entry point and checks the version and table. Blocking: run it
    /// on a dedicated thread.
    static func open(path: String, maxOutputBytes: Int, logger: Logger) throws -> PluginLibrary {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CPluginError.fileNotFound(path: path) }
        // RTLD_LOCAL keeps the plugin's symbols (often a bundled libstdc++ or BLAS) out of the
        // global namespace; RTLD_NOW surfaces missing symbols here instead of mid-inference.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw CPluginError.notALoadableLibrary(path: path, reason: reason)
        }
        var keepOpen = false
        defer { if !keepOpen { dlclose(handle) } }

        guard let symbol = dlsym(handle, CLARIFAI_RUNNER_ENTRY_POINT) else {
            throw CPluginError.missingEntryPoint(path: path)
        }
        let entry = unsafeBitCast(symbol, to: clarifai_runner_plugin_fn.self)
        let hostTable = HostFunctionTable.shared(maxOutputBytes: maxOutputBytes)
        let hostMajor = UInt32(CLARIFAI_RUNNER_ABI_MAJOR)
        let hostMinor = UInt32(CLARIFAI_RUNNER_ABI_MINOR)
        guard let table = entry(hostTable.pointer) else {
            throw CPluginError.refusedHost(path: path, hostMajor: hostMajor, hostMinor: hostMinor)
        }

        // Only the frozen prefix may be read before the major version is known to match.
        let declaredSize = Int(table.pointee.struct_size)
        let pluginMajor = table.pointee.abi_major
        let pluginMinor = table.pointee.abi_minor
        guard pluginMajor == hostMajor else {
            throw CPluginError.abiMajorMismatch(path: path, pluginMajor: pluginMajor, hostMajor: hostMajor)
        }
        guard pluginMinor <= hostMinor else {
            throw CPluginError.abiMinorTooNew(path: path, pluginMinor: pluginMinor, hostMinor: hostMinor)
        }
        guard declaredSize >= minimumTableSize else {
            throw CPluginError.invalidFunctionTable(
                path: path, reason: "struct_size \(declaredSize) is smaller than the ABI 1.0 table (\(minimumTableSize))")
        }
        var api = clarifai_plugin_api()
        withUnsafeMutableBytes(of: &api) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(
                start: UnsafeRawPointer(table), count: min(declaredSize, destination.count)))
        }
        if let problem = tableProblem(api) {
            throw CPluginError.invalidFunctionTable(path: path, reason: problem)
        }
        keepOpen = true
        let library = PluginLibrary(path: path, handle: handle, hostTable: hostTable, api: api)
        logger.debug("plugin opened", metadata: [
            "plugin": "\(library.name)", "plugin_version": "\(library.version)", "abi": "\(pluginMajor).\(pluginMinor)",
        ])
        return library
    }

    private static func tableProblem(_ api: clarifai_plugin_api) -> String? {
        if api.load == nil { return "load is NULL" }
        if api.unload == nil { return "unload is NULL" }
        if (api.instance_create == nil) != (api.instance_destroy == nil) {
            return "instance_create and instance_destroy must both be set or both be NULL"
        }
        let stream = [api.stream_open != nil, api.stream_push != nil, api.stream_close != nil]
        if stream.contains(true), stream.contains(false) {
            return "stream_open, stream_push and stream_close must all be set or all be NULL"
        }
        if api.predict == nil, api.generate == nil, api.stream_open == nil {
            return "no mode is implemented (predict, generate and stream_open are NULL)"
        }
        return nil
    }

    /// Closes the library. Nothing of the plugin may run or be referenced afterwards.
    func close() {
        dlclose(handle)
    }
}
