import ArgumentParser
import ClarifaiAPI
import GRPCCore

/// `runner get`.
struct RunnerGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one runner as JSON.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The runner id.") var runnerID: String

    func run() async throws {
        try await reportingErrors {
            let admin = try RunnerAdmin(connection: connection)
            var request: Clarifai_Api_GetRunnerRequest = admin.request()
            request.runnerID = runnerID
            let metadata = admin.metadata
            let response = try await admin.call { try await $0.getRunner(request, metadata: metadata, options: .oneOff()) }
            try admin.check(response.status, doing: "getting runner \(runnerID)")
            print(RunnerAdmin.json(response.runner))
        }
    }
}

/// `runner list`.
struct RunnerListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the nodepool's runners, one JSON object per line.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Page to fetch (from 1).") var page: UInt32 = 1
    @Option(help: "Runners per page.") var perPage: UInt32 = 100

    func run() async throws {
        try await reportingErrors {
            let admin = try RunnerAdmin(connection: connection)
            var request: Clarifai_Api_ListRunnersRequest = admin.request()
            request.page = page
            request.perPage = perPage
            let metadata = admin.metadata
            let response = try await admin.call { try await $0.listRunners(request, metadata: metadata, options: .oneOff()) }
            try admin.check(response.status, doing: "listing runners")
            for runner in response.runners { print(RunnerAdmin.json(runner)) }
        }
    }
}

/// `runner delete`.
struct RunnerDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete runners by id.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Runner ids.") var runnerIDs: [String]

    func validate() throws {
        guard !runnerIDs.isEmpty else { throw ValidationError("name at least one runner id") }
    }

    func run() async throws {
        try await reportingErrors {
            let admin = try RunnerAdmin(connection: connection)
            var request: Clarifai_Api_DeleteRunnersRequest = admin.request()
            request.ids = runnerIDs
            let metadata = admin.metadata
            let response = try await admin.call { try await $0.deleteRunners(request, metadata: metadata, options: .oneOff()) }
            try admin.check(response.status, doing: "deleting runners")
            print("deleted \(runnerIDs.joined(separator: ", "))")
        }
    }
}
