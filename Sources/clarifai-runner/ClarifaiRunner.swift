import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `clarifai-runner` command line.
@main
struct ClarifaiRunner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clarifai-runner",
        abstract: "Serve a model to the Clarifai API from this host: a native Clarifai runner.",
        discussion: """
            Try it with no account (local API + runner + example model):
              clarifai-runner dev

            Serve a model for the real API:
              export CLARIFAI_PAT=...      # or a systemd credential named 'pat'
              export CLARIFAI_USER_ID=me CLARIFAI_COMPUTE_CLUSTER_ID=cc
              export CLARIFAI_NODEPOOL_ID=np
              clarifai-runner runner create --runner-id r1 --model-id my-model
              clarifai-runner check --runner-id r1 --model ./libmymodel.so
              clarifai-runner run --runner-id r1 --model ./libmymodel.so

            Settings: config file (--config) < environment (CLARIFAI_*) < flags.
            `check` prints the effective settings with secrets masked.

            Exit codes: 0 ok, 1 runtime failure, 64 bad usage, 66 model failed
            to load, 69 API unreachable or credentials refused, 70 internal
            error, 78 bad configuration.
            """,
        version: Version.current,
        subcommands: [RunCommand.self, DevCommand.self, LocalAPICommand.self, RunnerCommand.self, CheckCommand.self, VersionCommand.self]
    )
}

extension ClarifaiRunner {
    /// Unblocks SIGTERM and SIGINT before anything else: a launcher may hand us a blocked mask (it is
    /// inherited across exec), and then neither graceful shutdown nor Ctrl-C would ever arrive.
    static func main() async {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        await main(nil)
    }
}

/// The version, printed by `version` and `--version`.
enum Version {
    static let current = "0.1.0"
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("clarifai-runner \(Version.current) (Clarifai API: clarifai-grpc 12.6.0 descriptors)")
    }
}
