import CClarifaiRunnerABI
import Testing

@testable import CModelBackend

/// How a plugin's declared contract becomes instances and threads.
struct ThreadingContractTests {
    private func contract(instances: UInt32, calls: UInt32, hasInstances: Bool = true) -> ThreadingContract {
        var info = clarifai_model_info()
        info.max_instances = instances
        info.max_concurrent_calls_per_instance = calls
        return ThreadingContract(
            info: info, hasInstances: hasInstances, limits: CPluginLimits(maxInstances: 4, maxThreadsPerInstance: 6))
    }

    @Test func zeroMeansTheSafestChoice() {
        #expect(contract(instances: 0, calls: 0) == ThreadingContract.make(instances: 1, calls: 1))
    }

    @Test func unlimitedIsCappedByHostLimits() {
        #expect(contract(instances: CLARIFAI_UNLIMITED, calls: CLARIFAI_UNLIMITED) == .make(instances: 4, calls: 6))
        #expect(contract(instances: 100, calls: 3) == .make(instances: 4, calls: 3))
    }

    @Test func withoutInstanceCreateTheModelIsTheOnlyInstance() {
        #expect(contract(instances: 8, calls: 2, hasInstances: false) == .make(instances: 1, calls: 2))
    }
}

extension ThreadingContract {
    static func make(instances: Int, calls: Int) -> ThreadingContract {
        var info = clarifai_model_info()
        info.max_instances = UInt32(instances)
        info.max_concurrent_calls_per_instance = UInt32(calls)
        return ThreadingContract(info: info, hasInstances: true, limits: CPluginLimits(maxInstances: 64, maxThreadsPerInstance: 64))
    }
}
