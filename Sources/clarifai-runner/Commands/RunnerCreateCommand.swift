import ArgumentParser
import ClarifaiAPI
import GRPCCore

/// `runner create`: idempotent registration.
struct RunnerCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a runner for a model in a nodepool; with --runner-id, an existing one is kept as it is."
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Id for the new runner; omitted, the API assigns one.", valueName: "id"))
    var runnerID: String?

    @Option(help: ArgumentHelp("The model the runner serves.", valueName: "id"))
    var modelID: String

    @Option(help: ArgumentHelp("The model's version id.", valueName: "id"))
    var modelVersionID: String?

    @Option(help: ArgumentHelp("The model owner's user id (default: --user-id).", valueName: "id"))
    var modelUserID: String?

    @Option(help: ArgumentHelp("The model's app id.", valueName: "id"))
    var modelAppID: String?

    @Option(help: "A description of the runner.")
    var description: String = "clarifai-runner"

    @Option(help: ArgumentHelp("A label; repeatable.", valueName: "label"))
    var label: [String] = []

    func run() async throws {
        try await reportingErrors {
            let admin = try RunnerAdmin(connection: connection)
            if let runnerID, let existing = try await find(admin, runnerID) {
                print("runner \(runnerID) already exists; kept as it is")
                print(RunnerAdmin.json(existing))
                return
            }
            var runner = Clarifai_Api_Runner()
            if let runnerID { runner.id = runnerID }
            runner.description_p = description
            runner.labels = label
            runner.numReplicas = 1
            runner.worker.model.id = modelID
            runner.worker.model.userID = modelUserID ?? admin.userID
            if let modelAppID { runner.worker.model.appID = modelAppID }
            if let modelVersionID { runner.worker.model.modelVersion.id = modelVersionID }
            var request: Clarifai_Api_PostRunnersRequest = admin.request()
            request.runners = [runner]
            let metadata = admin.metadata
            let response = try await admin.call { try await $0.postRunners(request, metadata: metadata, options: .oneOff()) }
            try admin.check(response.status, doing: "creating the runner")
            guard let created = response.runners.first else {
                throw CLIError.runtime("the API created no runner and gave no reason")
            }
            print("created runner \(created.id)")
            print(RunnerAdmin.json(created))
        }
    }

    private func find(_ admin: RunnerAdmin, _ id: String) async throws(CLIError) -> Clarifai_Api_Runner? {
        var request: Clarifai_Api_GetRunnerRequest = admin.request()
        request.runnerID = id
        let metadata = admin.metadata
        let response = try await admin.call { try await $0.getRunner(request, metadata: metadata, options: .oneOff()) }
        if response.status.code == .success { return response.runner }
        if [.runnerDoesNotExist, .connDoesNotExist].contains(response.status.code) || response.status.code.rawValue == 21200 {
            return nil
        }
        try admin.check(response.status, doing: "looking up runner \(id)")
        return nil
    }
}
