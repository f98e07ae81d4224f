import ArgumentParser
import Foundation
import LocalAPI

/// `local-api`: only the embedded API, for runners started separately (ours or the official one).
struct LocalAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local-api",
        abstract: "Serve the embedded Clarifai API subset on 127.0.0.1, for runners and callers on this machine.",
        discussion: """
            Runners connect with --api-base http://127.0.0.1:PORT and the PAT; callers use the official
            clients' insecure channel. Runner records from `runner create` are kept in memory, or in
            --runner-store if given.
            """
    )

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 50051

    @Option(help: "A PAT that callers and runners must send; repeatable. A random one is made if omitted.")
    var pat: [String] = []

    @Option(help: ArgumentHelp("JSON file keeping runner records across restarts.", valueName: "path"))
    var runnerStore: String?

    @Option(help: ArgumentHelp("Seconds a request waits for a runner before failing.", valueName: "seconds"))
    var noRunnerTimeout: Int = 30

    @OptionGroup var log: LogOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard noRunnerTimeout > 0 else { throw ValidationError("--no-runner-timeout must be positive") }
    }

    func run() async throws {
        try await reportingErrors {
            let logger = try log.bootstrap()
            let pats = pat.isEmpty ? ["dev-" + UUID().uuidString.lowercased().prefix(13)] : pat
            var configuration = LocalAPIConfiguration(pats: pats)
            configuration.port = port
            configuration.runnerStorePath = runnerStore
            configuration.noRunnerDeadline = .seconds(noRunnerTimeout)
            let server = LocalAPIServer(configuration: configuration, logger: logger)
            let announce = AnnounceService(server: server, pat: pats[0])
            var daemon = Daemon(logger: logger)
            daemon.services = [server, announce]
            try await daemon.run()
        }
    }
}

import ServiceLifecycle

/// Prints where the API listens, once it does, then waits for shutdown.
private struct AnnounceService: Service {
    let server: LocalAPIServer
    let pat: String

    func run() async throws {
        let port = try await server.listeningPort()
        StandardOutput.write("""
            Local Clarifai API listening on 127.0.0.1:\(port)
            PAT: \(pat)
            Runner:  clarifai-runner run --api-base http://127.0.0.1:\(port) --pat <PAT> --user-id local \\
                       --compute-cluster-id local --nodepool-id local --runner-id r1 --model example:upper
            Python:  ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=\(port)), metadata (("authorization", "Key <PAT>"),)

            """)
        try? await gracefulShutdown()
    }
}
