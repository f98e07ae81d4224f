/// Errors a handler, or the engine on its behalf, reports for one input or item.
///
/// The ``description`` is what the caller sees, so it must be one line with no local detail.
public enum ModelHandlerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The handler does not implement this mode.
    case unsupportedMode(InferenceMode)
    /// The input cannot be served; the string says why, for the caller.
    case invalidInput(String)
    /// The model failed; the string says why, for the caller.
    case failed(String)

    public var description: String {
        switch self {
        case .unsupportedMode(let mode): "this model does not support \(mode.rawValue) (\(mode.methodType))"
        case .invalidInput(let why): "invalid input: \(why)"
        case .failed(let why): why
        }
    }
}
