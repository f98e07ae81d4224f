import ArgumentParser

/// `runner`: registration of runners with the API.
struct RunnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runner",
        abstract: "Register, inspect and remove runners (PostRunners, GetRunner, ListRunners, DeleteRunners).",
        discussion: """
            A runner record ties a nodepool to the model it serves. Create one, then start
            `clarifai-runner run --runner-id <id>`. Works against the real API or the local one:
              clarifai-runner runner create --api-base http://127.0.0.1:50051 \\
                --pat dev --user-id local --compute-cluster-id local \\
                --nodepool-id local --runner-id r1 --model-id upper
            """,
        subcommands: [RunnerCreateCommand.self, RunnerGetCommand.self, RunnerListCommand.self, RunnerDeleteCommand.self]
    )
}
