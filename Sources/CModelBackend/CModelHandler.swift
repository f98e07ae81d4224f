import CClarifaiRunnerABI
import ClarifaiAPI
import Logging
import RunnerKit
import SwiftProtobuf
import Synchronization

/// A ``RunnerKit/ModelHandler`` backed by a native plugin: a shared library implementing
/// `clarifai_runner.h`.
///
/// Create one with ``load(path:config:modelDirectory:limits:logger:)`` and end it with ``unload()``.
/// Every plugin call runs on threads the handler owns, one group per plugin instance, sized by the
/// plugin's threading contract; Swift tasks only wait for results. A plugin error, or a plugin
/// breaking the ABI contract during a call, fails that one input with a `ModelHandlerError`; the
/// handler keeps serving.
public final class CModelHandler: ModelHandler, Sendable {
    /// The plugin file this handler loaded.
    public let path: String
    /// The plugin's declared name (or its file name).
    public let pluginName: String
    /// The plugin's declared version.
    public let pluginVersion: String
    /// The modes the plugin implements.
    public let supportedModes: Set<InferenceMode>
    /// How many plugin instances the handler created.
    public var instanceCount: Int { lanes.count }
    /// How many calls may run on one instance at a time (threads per instance).
    public let callsPerInstance: Int

    let library: PluginLibrary
    let lanes: [InstanceLane]
    let model: PluginPointer
    let limits: CPluginLimits
    let logger: Logger
    let wantsInputProto: Bool
    // The load call doubles as the plugin's logging handle until unload.
    let loadCall: PluginCall
    private let lifecycle = Mutex(Lifecycle())

    private struct Lifecycle {
        var activeCalls = 0
        var unloading = false
        var unloaded = false
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    init(
        library: PluginLibrary,
        model: PluginPointer,
        lanes: [InstanceLane],
        callsPerInstance: Int,
        wantsInputProto: Bool,
        loadCall: PluginCall,
        limits: CPluginLimits,
        logger: Logger
    ) {
        self.path = library.path
        self.pluginName = library.name
        self.pluginVersion = library.version
        self.library = library
        self.model = model
        self.lanes = lanes
        self.callsPerInstance = callsPerInstance
        self.wantsInputProto = wantsInputProto
        self.loadCall = loadCall
        self.limits = limits
        self.logger = logger
        var modes: Set<InferenceMode> = []
        if library.api.predict != nil { modes.insert(.predict) }
        if library.api.generate != nil { modes.insert(.generate) }
        if library.api.stream_open != nil { modes.insert(.stream) }
        self.supportedModes = modes
    }

    /// One call per input, as many at once as all instances together accept.
    public var unaryBatching: UnaryBatching {
        .perInput(maxConcurrency: max(1, lanes.count * callsPerInstance))
    }

    public func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        guard library.api.predict != nil else { throw ModelHandlerError.unsupportedMode(.predict) }
        try enter()
        defer { leave() }
        let params = try paramsJSON(context)
        let call = makeCall("predict", sink: .single, context: context)
        let library = self.library
        let wantsProto = wantsInputProto
        let status = try await withTaskCancellationHandler {
            try await onLeastBusyLane { instance in
                let buffer = PluginInputBuffer(input, paramsJSON: params, includeProto: wantsProto)
                return buffer.withInput { library.api.predict!(call.handle, instance.raw, $0) }
            }
        } onCancel: {
            call.abandon()
        }
        try call.check(status)
        guard let output = call.takeSingleOutput() else {
            throw ModelHandlerError.failed("\(library.label): predict: returned OK without emitting an output")
        }
        return output
    }

    /// Destroys the instances, unloads the model and closes the library.
    ///
    /// New calls fail from now on; calls already running finish first. Calling it again does nothing.
    public func unload() async {
        let mustWait = lifecycle.withLock { state -> Bool? in
            if state.unloading { return nil }
            state.unloading = true
            return state.activeCalls > 0
        }
        guard let mustWait else { return }
        if mustWait {
            await withCheckedContinuation { continuation in
                let ready = lifecycle.withLock { state in
                    if state.activeCalls == 0 { return true }
                    state.drained.append(continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        }
        let lanes = self.lanes
        let library = self.library
        let model = self.model
        _ = try? await DedicatedThread.run(name: "plugin-unload", stackSize: limits.threadStackSize) {
            for lane in lanes { lane.shutdown() }
            if let destroy = library.api.instance_destroy {
                for lane in lanes { destroy(lane.instance.raw) }
            }
            library.api.unload!(model.raw)
            library.close()
        }
        PluginLogFallback.unregister(library)
        lifecycle.withLock { $0.unloaded = true }
        logger.info("plugin unloaded", metadata: ["plugin": "\(pluginName)"])
    }

    // MARK: - Shared by the modes

    /// Counts a call in, or refuses it once unloading started.
    func enter() throws {
        let open = lifecycle.withLock { state in
            guard !state.unloading else { return false }
            state.activeCalls += 1
            return true
        }
        guard open else { throw ModelHandlerError.failed("\(library.label): the plugin is unloaded") }
    }

    /// Counts a call out and wakes ``unload()`` when it was the last.
    func leave() {
        let waiters = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.activeCalls -= 1
            guard state.activeCalls == 0 else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        for waiter in waiters { waiter.resume() }
    }

    func makeCall(_ function: String, sink: PluginCall.Sink, context: InferenceContext) -> PluginCall {
        var logger = context.logger
        logger[metadataKey: "plugin"] = "\(pluginName)"
        return PluginCall(
            pluginLabel: library.label, function: function, sink: sink,
            maxOutputBytes: limits.maxOutputBytes, cancellation: context.cancellation, logger: logger)
    }

    func paramsJSON(_ context: InferenceContext) throws -> String {
        do {
            return try context.params.jsonString()
        } catch {
            throw ModelHandlerError.invalidInput("parameters cannot be encoded as JSON: \(error)")
        }
    }

    /// The lane with the fewest queued or running calls.
    func leastBusyLane() -> InstanceLane {
        lanes.min { $0.load < $1.load }!
    }

    func onLeastBusyLane<T: Sendable>(_ body: @escaping @Sendable (PluginPointer) -> T) async throws -> T {
        try await run(on: leastBusyLane(), body)
    }

    func run<T: Sendable>(on lane: InstanceLane, _ body: @escaping @Sendable (PluginPointer) -> T) async throws -> T {
        guard let result = await lane.run(body) else {
            throw ModelHandlerError.failed("\(library.label): the plugin is unloaded")
        }
        return result
    }
}
