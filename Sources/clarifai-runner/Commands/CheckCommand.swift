import ArgumentParser
import ClarifaiAPI
import RunnerKit

/// `check`: validates everything `run` would use, without taking work.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate config, credentials (one cheap authenticated call) and the model, and print what would run.",
        discussion: "Exits 0 when `run` would start; otherwise prints what is wrong and exits with its code (see --help of the root command)."
    )

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Runner") var options: RunOptions
    @Flag(help: "Skip the authenticated call to the API (offline check).")
    var offline = false
    @OptionGroup var log: LogOptions

    func run() async throws {
        try await reportingErrors {
            let settings = try Settings.resolve(flags: connection.givenFlags.merging(options.givenFlags) { $1 })
            print("Effective settings (config file < environment < flags):")
            for line in settings.describe() { print("  \(line)") }
            let configuration = try settings.runnerConfiguration()
            _ = try HealthAddress.parse(settings[.healthAddress])
            let spec = try ModelSpec(parsing: settings[.model] ?? "example:upper")
            let logger = try log.bootstrap(settings: settings)
            _ = try await spec.makeHandler(config: try settings.modelConfig(extra: options.modelConfig), logger: logger)
            print("model: \(spec) loads")
            if !offline {
                try await checkCredentials(configuration)
                print("API: \(configuration.endpoint) accepted the credentials (\(configuration.credentials))")
            }
            print("""
                would run: runner \(configuration.identity.runnerID) of user \(configuration.identity.userID), \
                nodepool \(configuration.identity.nodepoolID), compute cluster \(configuration.identity.computeClusterID); \
                \(configuration.parallelPolls) \(configuration.workSource.rawValue) work source(s)
                """)
        }
    }

    /// `GetRunner` is cheap, authenticated, and also tells whether the runner id exists.
    private func checkCredentials(_ configuration: RunnerConfiguration) async throws(CLIError) {
        var request = Clarifai_Api_GetRunnerRequest()
        request.userAppID.userID = configuration.identity.userID
        request.nodepoolID = configuration.identity.nodepoolID
        request.computeClusterID = configuration.identity.computeClusterID
        request.runnerID = configuration.identity.runnerID
        let metadata = configuration.credentials.metadata
        let response: Clarifai_Api_SingleRunnerResponse
        do {
            response = try await withClarifaiAPI(endpoint: configuration.endpoint) {
                try await $0.getRunner(request, metadata: metadata, options: .oneOff())
            }
        } catch {
            throw .unavailable("cannot reach the Clarifai API at \(configuration.endpoint): \(error)")
        }
        switch response.status.code {
        case .success:
            return
        case .connKeyInvalid, .connKeyNotFound, .connTokenInvalid, .connCredentialsInvalid, .connInsufficientScopes:
            throw .unavailable("the API refused the credentials (\(configuration.credentials)): \(response.status.code) \(response.status.description_p)")
        default:
            print("warning: runner lookup answered \(response.status.code) (\(response.status.description_p)); credentials accepted")
        }
    }
}
