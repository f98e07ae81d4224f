import ArgumentParser

/// Flags of the runner itself, shared by `run` and `check`.
struct RunOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The runner's id, from `runner create`. [CLARIFAI_RUNNER_ID]", valueName: "id"))
    var runnerID: String?

    @Option(help: ArgumentHelp("example:upper, or a path to a native plugin .so. [CLARIFAI_RUNNER_MODEL]", valueName: "spec"))
    var model: String?

    @Option(name: .customLong("model-config"), help: ArgumentHelp(
        "key=value passed to the plugin at load, e.g. model_dir=/srv/model; repeatable. [CLARIFAI_RUNNER_MODEL_CONFIG, comma-separated]",
        valueName: "key=value"))
    var modelConfig: [String] = []

    @Option(help: ArgumentHelp("Work streams kept waiting for work (default 4). [CLARIFAI_RUNNER_PARALLEL_POLLS]", valueName: "n"))
    var parallelPolls: Int?

    @Option(help: ArgumentHelp("Most items in flight, waiting streams included (default 2 × parallel polls). [CLARIFAI_RUNNER_MAX_IN_FLIGHT]", valueName: "n"))
    var maxInFlight: Int?

    @Option(help: ArgumentHelp("stream (ProcessRunnerItems, default) or poll (ListRunnerItems). [CLARIFAI_RUNNER_WORK_SOURCE]", valueName: "kind"))
    var workSource: String?

    @Option(help: ArgumentHelp("Seconds to finish in-flight items on SIGTERM (default 30). [CLARIFAI_RUNNER_DRAIN_TIMEOUT]", valueName: "seconds"))
    var drainTimeout: String?

    @Option(help: ArgumentHelp("Seconds one predict or generate item may run before it is answered with a failure (default 600). [CLARIFAI_RUNNER_ITEM_TIMEOUT]", valueName: "seconds"))
    var itemTimeout: String?

    @Option(help: ArgumentHelp(
        "host:port for /healthz/* and /metrics, e.g. 127.0.0.1:8080; 'off' (default) disables. [CLARIFAI_RUNNER_HEALTH_ADDRESS]",
        valueName: "address"))
    var healthAddress: String?

    var givenFlags: [SettingKey: String] {
        var flags: [SettingKey: String] = [:]
        flags[.runnerID] = runnerID
        flags[.model] = model
        flags[.parallelPolls] = parallelPolls.map(String.init)
        flags[.maxInFlight] = maxInFlight.map(String.init)
        flags[.workSource] = workSource
        flags[.drainTimeout] = drainTimeout
        flags[.itemTimeout] = itemTimeout
        flags[.healthAddress] = healthAddress
        return flags
    }
}
