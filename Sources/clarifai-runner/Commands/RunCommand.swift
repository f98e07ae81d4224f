import ArgumentParser
import Logging
import RunnerKit

/// `run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the runner daemon: take work from the Clarifai API and serve it with a model.",
        discussion: """
            Opens --parallel-polls work streams to the API (plus one control stream for cancellations),
            serves each item with the model, and posts the outputs back. On SIGTERM or SIGINT it stops
            taking work and finishes the items in flight (up to --drain-timeout); a second signal cancels.

            Example, against `clarifai-runner local-api --port 50051 --pat dev`:
              export CLARIFAI_PAT=dev
              clarifai-runner run --api-base http://127.0.0.1:50051 \\
                --user-id me --compute-cluster-id local --nodepool-id local \\
                --runner-id r1 --model example:upper
            """
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Runner") var options: RunOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try await reportingErrors {
            let settings = try Settings.resolve(flags: connection.givenFlags.merging(options.givenFlags) { $1 })
            let logger = try log.bootstrap(settings: settings)
            let configuration = try settings.runnerConfiguration()
            let health = try HealthAddress.parse(settings[.healthAddress])
            let spec = try ModelSpec(parsing: settings[.model] ?? "example:upper")
            let handler = try await spec.makeHandler(config: try settings.modelConfig(extra: options.modelConfig), logger: logger)
            if health != nil { _ = MetricsBootstrap.prometheus() }
            logger.info("model loaded", metadata: ["model": "\(spec)"])

            let engine = RunnerEngine(configuration: configuration, handler: handler, logger: logger)
            var daemon = Daemon(logger: logger)
            daemon.maximumShutdown = configuration.drainTimeout + .seconds(15)
            daemon.addHealth(health, state: engine.state)
            daemon.services.append(engine)
            daemon.addSystemd(state: engine.state)
            try await daemon.run()
        }
    }
}
