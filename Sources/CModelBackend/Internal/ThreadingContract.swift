import CClarifaiRunnerABI

/// How many instances and threads per instance the host gives a plugin: its declared contract,
/// with zero read as "one" and "unlimited" capped by the host's limits.
struct ThreadingContract: Equatable {
    var instances: Int
    var callsPerInstance: Int

    init(info: clarifai_model_info, hasInstances: Bool, limits: CPluginLimits) {
        func resolve(_ declared: UInt32, cap: Int) -> Int {
            let cap = max(1, cap)
            switch declared {
            case 0: return 1
            case CLARIFAI_UNLIMITED: return cap
            default: return min(Int(declared), cap)
            }
        }
        instances = hasInstances ? resolve(info.max_instances, cap: limits.maxInstances) : 1
        callsPerInstance = resolve(info.max_concurrent_calls_per_instance, cap: limits.maxThreadsPerInstance)
    }
}
