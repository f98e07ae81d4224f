import ClarifaiAPI

/// A model that a runner serves: the Swift counterpart of the Clarifai SDK's `Runner.run_input`.
///
/// Implement the modes your model supports; the protocol extension answers the others with a
/// clear "unsupported mode" failure. The engine calls handlers on ``ModelExecutor`` threads, never
/// on Swift's cooperative pool, so blocking model code is allowed in every method.
///
/// ```swift
/// struct Echo: ModelHandler {
///     func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
///         .text(input.data.text.raw)
///     }
/// }
/// ```
public protocol ModelHandler: Sendable {
    /// How the engine calls the unary mode. Defaults to one ``runInput(_:context:)`` call per input,
    /// at most four at a time.
    var unaryBatching: UnaryBatching { get }

    /// Predicts one output for one input (unary mode, `PostModelOutputs`).
    ///
    /// A thrown error fails this input only; the other inputs of the request still answer.
    func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output

    /// Predicts the outputs of a whole request at once; used when ``unaryBatching`` is ``UnaryBatching/wholeBatch``.
    ///
    /// Must return exactly one output per input, in order. A thrown error fails every input.
    func runBatch(_ inputs: [Clarifai_Api_Input], context: InferenceContext) async throws -> [Clarifai_Api_Output]

    /// Produces a sequence of outputs for one input (unary-stream mode, `GenerateModelOutputs`).
    ///
    /// Each ``OutputWriter/write(_:)`` reaches the caller as one response, in order; returning ends the
    /// sequence. A thrown error is sent after the outputs already written.
    func generate(_ input: Clarifai_Api_Input, context: InferenceContext, output: OutputWriter) async throws

    /// Answers a stream of inputs with a stream of outputs (stream-stream mode, `StreamModelOutputs`).
    ///
    /// `inputs` ends when the caller ends its stream. Outputs may be written at any time.
    func stream(_ inputs: InputStream, context: InferenceContext, output: OutputWriter) async throws
}

/// The inputs of a stream-stream call, in the order the caller sent them.
public typealias InputStream = AsyncThrowingStream<Clarifai_Api_Input, any Error>

/// How the engine hands a unary request's inputs to a ``ModelHandler``.
public enum UnaryBatching: Sendable, Equatable {
    /// One ``ModelHandler/runInput(_:context:)`` call per input, up to `maxConcurrency` at once.
    case perInput(maxConcurrency: Int)
    /// One ``ModelHandler/runBatch(_:context:)`` call for all inputs of a request.
    case wholeBatch
}

extension ModelHandler {
    public var unaryBatching: UnaryBatching { .perInput(maxConcurrency: 4) }

    public func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        throw ModelHandlerError.unsupportedMode(.predict)
    }

    public func runBatch(_ inputs: [Clarifai_Api_Input], context: InferenceContext) async throws -> [Clarifai_Api_Output] {
        var outputs: [Clarifai_Api_Output] = []
        outputs.reserveCapacity(inputs.count)
        for input in inputs {
            outputs.append(try await runInput(input, context: context))
        }
        return outputs
    }

    public func generate(_ input: Clarifai_Api_Input, context: InferenceContext, output: OutputWriter) async throws {
        throw ModelHandlerError.unsupportedMode(.generate)
    }

    public func stream(_ inputs: InputStream, context: InferenceContext, output: OutputWriter) async throws {
        throw ModelHandlerError.unsupportedMode(.stream)
    }
}
