import ArgumentParser
import Logging

/// `--log-level`, shared by the long-running commands.
struct LogOptions: ParsableArguments {
    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical. [CLARIFAI_RUNNER_LOG_LEVEL]", valueName: "level"))
    var logLevel: String?

    /// Sets up swift-log: one line per event on stderr, which journald and pipes keep as they are.
    func bootstrap(settings: Settings? = nil) throws(CLIError) -> Logger {
        let text = logLevel ?? settings?[.logLevel] ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw .configuration("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        LoggingBootstrap.once(level: level)
        return Logger(label: "clarifai-runner")
    }
}

/// `LoggingSystem.bootstrap` may run only once per process.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false

    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
