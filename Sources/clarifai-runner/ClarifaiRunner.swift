import ArgumentParser

/// The `clarifai-runner` command line.
@main
struct ClarifaiRunner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clarifai-runner",
        abstract: "Serve a model to the Clarifai API from this host: a native Clarifai runner.",
        discussion: """
            Try it with no account:
              clarifai-runner dev                      # local API + runner + example model

            Serve a model for the real API:
              export CLARIFAI_PAT=...                  # or a systemd credential named 'pat'
              clarifai-runner runner create --user-id me --compute-cluster-id cc --nodepool-id np --model-id m
              clarifai-runner run --user-id me --compute-cluster-id cc --nodepool-id np \\
                  --runner-id <id> --model ./libmymodel.so

            Settings come from a config file (--config), then the environment (CLARIFAI_*), then flags;
            each overrides the one before. `clarifai-runner check` prints the result, secrets masked.
            Exit codes: 0 ok, 1 runtime failure, 64 bad usage, 66 model failed to load,
            69 API unreachable or credentials refused, 70 internal error, 78 bad configuration.
            """,
        version: Version.current,
        subcommands: [RunCommand.self, DevCommand.self, LocalAPICommand.self, RunnerCommand.self, CheckCommand.self, VersionCommand.self]
    )
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
