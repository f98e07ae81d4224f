import ArgumentParser

/// A failure the operator can fix, with the documented exit code the daemon ends with.
///
/// Exit codes (also in the README): 0 ok; 1 runtime failure; 64 bad usage; 66 model failed to load;
/// 69 API unreachable or credentials refused (`check`); 70 internal error; 78 bad configuration.
struct CLIError: Error, CustomStringConvertible {
    enum Kind: Int32 {
        case runtime = 1
        case usage = 64
        case modelLoad = 66
        case unavailable = 69
        case software = 70
        case configuration = 78
    }

    let kind: Kind
    let message: String

    var description: String { message }

    static func configuration(_ message: String) -> Self { .init(kind: .configuration, message: message) }
    static func modelLoad(_ message: String) -> Self { .init(kind: .modelLoad, message: message) }
    static func unavailable(_ message: String) -> Self { .init(kind: .unavailable, message: message) }
    static func runtime(_ message: String) -> Self { .init(kind: .runtime, message: message) }
}

extension CLIError {
    /// Prints the message as one line on stderr and exits with the code, never with a stack trace.
    func exit() -> ExitCode {
        StandardError.write("clarifai-runner: \(message)\n")
        return ExitCode(kind.rawValue)
    }
}

/// Runs a command body and turns a `CLIError` into its message and exit code.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as CLIError {
        throw error.exit()
    }
}
