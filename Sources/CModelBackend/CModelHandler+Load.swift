import CClarifaiRunnerABI
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension CModelHandler {
    /// Loads a native model plugin and creates its instances.
    ///
    /// Opens `path` with `dlopen(RTLD_NOW | RTLD_LOCAL)`, negotiates the ABI version through the
    /// `clarifai_runner_plugin` entry point, calls the plugin's `load` with `config` and
    /// `modelDirectory`, then creates as many instances as the plugin's threading contract and
    /// `limits` allow, each with its own dedicated threads. All of it runs on a dedicated thread,
    /// since loading weights can take minutes.
    ///
    /// - Parameters:
    ///   - path: The plugin's shared library.
    ///   - config: Operator settings handed to the plugin's `load` as key/value strings.
    ///   - modelDirectory: Where the plugin finds its weights, or `nil`.
    ///   - limits: Host-side limits on top of the plugin's contract.
    ///   - logger: Receives the handler's and the plugin's log lines.
    /// - Throws: ``CPluginError`` naming the file and the step that failed.
    public static func load(
        path: String,
        config: [String: String] = [:],
        modelDirectory: String? = nil,
        limits: CPluginLimits = CPluginLimits(),
        logger: Logger
    ) async throws -> CModelHandler {
        var logger = logger
        logger[metadataKey: "plugin_file"] = "\(path)"
        let pluginLogger = logger
        let handler = try await DedicatedThread.run(name: "plugin-load", stackSize: limits.threadStackSize) {
            try loadBlocking(path: path, config: config, modelDirectory: modelDirectory, limits: limits, logger: pluginLogger)
        }
        logger.info("plugin loaded", metadata: [
            "plugin": "\(handler.pluginName)", "plugin_version": "\(handler.pluginVersion)",
            "instances": "\(handler.instanceCount)", "calls_per_instance": "\(handler.callsPerInstance)",
            "modes": "\(handler.supportedModes.map(\.rawValue).sorted().joined(separator: ","))",
        ])
        return handler
    }

    private static func loadBlocking(
        path: String,
        config: [String: String],
        modelDirectory: String?,
        limits: CPluginLimits,
        logger: Logger
    ) throws -> CModelHandler {
        let library = try PluginLibrary.open(path: path, maxOutputBytes: limits.maxOutputBytes, logger: logger)
        var pluginLogger = logger
        pluginLogger[metadataKey: "plugin"] = "\(library.name)"
        PluginLogFallback.register(library, logger: pluginLogger)
        let loadCall = PluginCall(
            pluginLabel: library.label, function: "load", sink: .none,
            maxOutputBytes: limits.maxOutputBytes, logger: pluginLogger)

        var modelOut: OpaquePointer? = nil
        var info = clarifai_model_info()
        info.struct_size = UInt32(MemoryLayout<clarifai_model_info>.size)
        let status = withLoadOptions(config: config, modelDirectory: modelDirectory) { options in
            library.api.load!(loadCall.handle, options, &modelOut, &info)
        }
        if status != CLARIFAI_STATUS_OK || loadCall.violation != nil {
            // The ABI says a failed load cleaned up after itself: close without unload.
            PluginLogFallback.unregister(library)
            library.close()
            throw CPluginError.loadFailed(
                path: path, status: PluginStatus.name(status), message: loadCall.failureDescription(for: status))
        }
        let model = PluginPointer(raw: modelOut)

        let contract = ThreadingContract(info: info, hasInstances: library.api.instance_create != nil, limits: limits)
        var instances: [PluginPointer] = []
        if let create = library.api.instance_create {
            for index in 0..<contract.instances {
                let call = PluginCall(
                    pluginLabel: library.label, function: "instance_create", sink: .none,
                    maxOutputBytes: limits.maxOutputBytes, logger: pluginLogger)
                var instance: OpaquePointer? = nil
                let status = create(call.handle, modelOut, UInt32(index), &instance)
                if status != CLARIFAI_STATUS_OK || call.violation != nil {
                    for created in instances { library.api.instance_destroy!(created.raw) }
                    library.api.unload!(modelOut)
                    PluginLogFallback.unregister(library)
                    library.close()
                    throw CPluginError.instanceCreateFailed(
                        path: path, index: index, status: PluginStatus.name(status),
                        message: call.failureDescription(for: status))
                }
                instances.append(PluginPointer(raw: instance))
            }
        } else {
            instances = [model]
        }
        let lanes = instances.enumerated().map { index, instance in
            InstanceLane(
                index: index, instance: instance, threadCount: contract.callsPerInstance,
                stackSize: limits.threadStackSize, namePrefix: "plugin-")
        }
        return CModelHandler(
            library: library, model: model, lanes: lanes, callsPerInstance: contract.callsPerInstance,
            wantsInputProto: info.flags & CLARIFAI_MODEL_WANTS_INPUT_PROTO != 0,
            loadCall: loadCall, limits: limits, logger: logger)
    }

    /// Builds `clarifai_load_options` with C copies of the configuration, valid during `body`.
    private static func withLoadOptions<T>(
        config: [String: String],
        modelDirectory: String?,
        _ body: (UnsafePointer<clarifai_load_options>) -> T
    ) -> T {
        // Sorted, so a plugin sees the same order on every start.
        let pairs = config.sorted { $0.key < $1.key }
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer { strings.forEach { free($0) } }
        func copy(_ string: String) -> UnsafePointer<CChar> {
            let pointer = strdup(string)!
            strings.append(pointer)
            return UnsafePointer(pointer)
        }
        let entries = pairs.map { clarifai_config_entry(key: copy($0.key), value: copy($0.value)) }
        let directory = modelDirectory.map(copy)
        return entries.withUnsafeBufferPointer { buffer in
            var options = clarifai_load_options()
            options.struct_size = UInt32(MemoryLayout<clarifai_load_options>.size)
            options.model_directory = directory
            options.config = buffer.baseAddress
            options.config_count = buffer.count
            return withUnsafePointer(to: &options) { body($0) }
        }
    }
}
