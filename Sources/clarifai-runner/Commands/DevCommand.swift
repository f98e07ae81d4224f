import ArgumentParser
import Foundation
import LocalAPI
import Logging
import RunnerKit
import ServiceLifecycle

/// `dev`: the local API and a runner in one process, the README's first command.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Start a local Clarifai API and a runner serving a model, in one process. No account needed.",
        discussion: """
            Serves the Clarifai gRPC API on 127.0.0.1:--port and connects a runner to it, then prints a
            snippet that calls the model with the official Python client. Runs until Ctrl-C.

              clarifai-runner dev                                   # the built-in example:upper model
              clarifai-runner dev --model runners/c-classifier/libc_classifier.so
            """
    )

    @Option(help: "Port for the local API on 127.0.0.1 (0 picks a free one).")
    var port: Int = 50051

    @Option(help: "The PAT callers must send; a random one is made if omitted.")
    var pat: String?

    @Option(help: ArgumentHelp("example:upper, or a path to a native plugin .so.", valueName: "spec"))
    var model: String = "example:upper"

    @Option(name: .customLong("model-config"), help: ArgumentHelp("key=value passed to the plugin at load; repeatable.", valueName: "key=value"))
    var modelConfig: [String] = []

    @Option(help: "Work streams kept waiting for work.")
    var parallelPolls: Int = 4

    @Option(help: ArgumentHelp("stream or poll.", valueName: "kind"))
    var workSource: String = "stream"

    @Option(help: ArgumentHelp("host:port for /healthz/* and /metrics, or 'off'.", valueName: "address"))
    var healthAddress: String = "off"

    @OptionGroup var log: LogOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard (1...256).contains(parallelPolls) else { throw ValidationError("--parallel-polls must be in 1...256") }
    }

    func run() async throws {
        try await reportingErrors {
            let logger = try log.bootstrap()
            let pat = self.pat ?? "dev-" + UUID().uuidString.lowercased().prefix(13)
            let spec = try ModelSpec(parsing: model)
            guard let source = RunnerConfiguration.WorkSourceKind(rawValue: workSource) else {
                throw CLIError.configuration("--work-source must be 'stream' or 'poll', got '\(workSource)'")
            }
            let health = try HealthAddress.parse(healthAddress)
            if health != nil { _ = MetricsBootstrap.prometheus() }
            let handler = try await spec.makeHandler(config: try Settings().modelConfig(extra: modelConfig), logger: logger)

            var apiConfiguration = LocalAPIConfiguration(pats: [pat])
            apiConfiguration.port = port
            let api = LocalAPIServer(configuration: apiConfiguration, logger: logger)
            let state = RunnerState()
            let runner = DevRunner(api: api, pat: pat, handler: handler, workSource: source, parallelPolls: parallelPolls, logger: logger) { port in
                StandardOutput.write(Self.banner(port: port, pat: pat, model: spec.description))
            }
            var daemon = Daemon(logger: logger)
            daemon.addHealth(health, state: state)
            daemon.services += [api, runner]
            try await daemon.run()
        }
    }

    static func banner(port: Int, pat: String, model: String) -> String {
        """

        clarifai-runner dev: local Clarifai API on 127.0.0.1:\(port), runner serving \(model).
        PAT: \(pat)

        Call it with the official Python client (pip install clarifai-grpc):

        python3 - <<'PY'
        from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
        from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
        stub = service_pb2_grpc.V2Stub(ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=\(port)))
        request = service_pb2.PostModelOutputsRequest(model_id="any", inputs=[
            resources_pb2.Input(data=resources_pb2.Data(text=resources_pb2.Text(raw="hello from the local runner")))])
        response = stub.PostModelOutputs(request, metadata=(("authorization", "Key \(pat)"),))
        print(response.status.code, [o.data.text.raw for o in response.outputs])
        PY

        Press Ctrl-C to stop.

        """
    }
}

/// Waits for the local API's port, then runs a runner engine against it.
struct DevRunner: Service {
    let api: LocalAPIServer
    let pat: String
    let handler: any ModelHandler
    let workSource: RunnerConfiguration.WorkSourceKind
    let parallelPolls: Int
    let logger: Logger
    let onReady: @Sendable (Int) -> Void

    func run() async throws {
        let port = try await api.listeningPort()
        var configuration = RunnerConfiguration(
            endpoint: APIEndpoint(host: "127.0.0.1", port: port, security: .plaintext),
            credentials: .pat(pat),
            identity: RunnerIdentity(userID: "local", computeClusterID: "local-runner-compute-cluster", nodepoolID: "local-runner-nodepool", runnerID: "dev-runner")
        )
        configuration.workSource = workSource
        configuration.parallelPolls = parallelPolls
        let engine = RunnerEngine(configuration: configuration, handler: handler, logger: logger)
        onReady(port)
        try await engine.run()
    }
}
