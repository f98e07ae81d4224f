import ClarifaiAPI

/// The three ways a caller can run a model.
public enum InferenceMode: String, Sendable, CaseIterable {
    /// Unary: `PostModelOutputs`, runner method type `UNARY_UNARY`.
    case predict
    /// Unary-stream: `GenerateModelOutputs`, runner method type `UNARY_STREAMING`.
    case generate
    /// Stream-stream: `StreamModelOutputs`, runner method type `STREAMING_STREAMING`.
    case stream

    /// The mode a runner item asks for, or `nil` for a method type the runner does not serve.
    public init?(_ methodType: Clarifai_Api_RunnerMethodType) {
        switch methodType {
        case .unaryUnary: self = .predict
        case .unaryStreaming: self = .generate
        case .streamingStreaming: self = .stream
        default: return nil
        }
    }

    /// The runner method type that carries this mode on the wire.
    public var methodType: Clarifai_Api_RunnerMethodType {
        switch self {
        case .predict: .unaryUnary
        case .generate: .unaryStreaming
        case .stream: .streamingStreaming
        }
    }
}
