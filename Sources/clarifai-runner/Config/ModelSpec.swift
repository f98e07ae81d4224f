import CModelBackend
import Logging
import RunnerKit

/// What `--model` names: a built-in example (`example:upper`) or a native plugin (a path to a `.so`).
enum ModelSpec: Equatable, CustomStringConvertible {
    case example(String)
    case plugin(path: String)

    static let builtIns = ["upper"]

    init(parsing text: String) throws(CLIError) {
        if text.hasPrefix("example:") {
            let name = String(text.dropFirst("example:".count))
            guard Self.builtIns.contains(name) else {
                throw .configuration("unknown built-in model '\(text)'; built-ins: \(Self.builtIns.map { "example:\($0)" }.joined(separator: ", "))")
            }
            self = .example(name)
        } else if text.contains("/") || text.hasSuffix(".so") {
            self = .plugin(path: text)
        } else {
            throw .configuration("--model '\(text)' is neither a built-in (example:upper) nor a path to a plugin .so (use ./\(text) for a file here)")
        }
    }

    var description: String {
        switch self {
        case .example(let name): "example:\(name)"
        case .plugin(let path): path
        }
    }

    /// Loads the model; a plugin that cannot load is a clear error with exit code 66.
    func makeHandler(config: [String: String], logger: Logger) async throws(CLIError) -> any ModelHandler {
        switch self {
        case .example:
            var handler = UppercaseHandler()
            if let text = config["delay_ms"] {
                guard let milliseconds = Int(text), milliseconds >= 0 else {
                    throw .configuration("example:upper: delay_ms must be a whole number of milliseconds, got '\(text)'")
                }
                handler.delay = .milliseconds(milliseconds)
            }
            return handler
        case .plugin(let path):
            do {
                return try await CModelHandler.load(path: path, config: config, modelDirectory: config["model_dir"], logger: logger)
            } catch {
                throw .modelLoad("\(error)")
            }
        }
    }
}
