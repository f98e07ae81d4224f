import CClarifaiRunnerABI

/// Why a native model plugin could not be loaded.
///
/// Each description is one line naming the plugin file and the step that failed, so an operator can
/// act on it from the log alone. Failures of single inference calls are not reported with this type:
/// they fail one input as a `ModelHandlerError` and the runner keeps serving.
public enum CPluginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// `dlopen` refused the file: not a shared library, wrong architecture, or a missing dependency.
    case notALoadableLibrary(path: String, reason: String)
    /// The library does not export `clarifai_runner_plugin`.
    case missingEntryPoint(path: String)
    /// The entry point returned `NULL`: the plugin refused this host.
    case refusedHost(path: String, hostMajor: UInt32, hostMinor: UInt32)
    /// The plugin was built for another major version of the ABI.
    case abiMajorMismatch(path: String, pluginMajor: UInt32, hostMajor: UInt32)
    /// The plugin needs a newer minor version of the ABI than this host provides.
    case abiMinorTooNew(path: String, pluginMinor: UInt32, hostMinor: UInt32)
    /// The plugin's function table is malformed (too small, or a required function is missing).
    case invalidFunctionTable(path: String, reason: String)
    /// The plugin's `load` failed.
    case loadFailed(path: String, status: String, message: String)
    /// The plugin's `instance_create` failed for one instance.
    case instanceCreateFailed(path: String, index: Int, status: String, message: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            "plugin \(path): no such file"
        case .notALoadableLibrary(let path, let reason):
            "plugin \(path): not a loadable shared library: \(reason)"
        case .missingEntryPoint(let path):
            "plugin \(path): missing entry point \(CLARIFAI_RUNNER_ENTRY_POINT); is it built against clarifai_runner.h and exported?"
        case .refusedHost(let path, let major, let minor):
            "plugin \(path): entry point refused host ABI \(major).\(minor)"
        case .abiMajorMismatch(let path, let plugin, let host):
            "plugin \(path): ABI major mismatch: plugin was built for ABI \(plugin).x, this host speaks \(host).x"
        case .abiMinorTooNew(let path, let plugin, let host):
            "plugin \(path): needs ABI 1.\(plugin) but this host provides 1.\(host); upgrade clarifai-runner"
        case .invalidFunctionTable(let path, let reason):
            "plugin \(path): invalid function table: \(reason)"
        case .loadFailed(let path, let status, let message):
            "plugin \(path): load failed (\(status)): \(message)"
        case .instanceCreateFailed(let path, let index, let status, let message):
            "plugin \(path): instance_create #\(index) failed (\(status)): \(message)"
        }
    }
}
