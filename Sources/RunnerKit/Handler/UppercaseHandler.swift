import ClarifaiAPI

/// The built-in example model `example:upper`, used by `dev`, the README and the tests.
///
/// - predict: each input's text, upper-cased;
/// - generate: the input text split on spaces, one upper-cased word per output;
/// - stream: each incoming text, upper-cased.
///
/// `delay` makes each output take that long, to stand in for a real model in demos and tests.
public struct UppercaseHandler: ModelHandler {
    /// How long each output takes.
    public var delay: Duration

    /// Creates the example handler.
    public init(delay: Duration = .zero) {
        self.delay = delay
    }

    public func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        try await pause()
        return .text(try Self.text(of: input).uppercased())
    }

    private func pause() async throws {
        if delay > .zero { try await Task.sleep(for: delay) }
    }

    public func generate(_ input: Clarifai_Api_Input, context: InferenceContext, output: OutputWriter) async throws {
        for word in try Self.text(of: input).split(separator: " ") {
            try Task.checkCancellation()
            try await pause()
            try await output.write(.text(word.uppercased()))
        }
    }

    public func stream(_ inputs: InputStream, context: InferenceContext, output: OutputWriter) async throws {
        for try await input in inputs {
            try await pause()
            try await output.write(.text(try Self.text(of: input).uppercased()))
        }
    }

    private static func text(of input: Clarifai_Api_Input) throws -> String {
        guard input.data.hasText else { throw ModelHandlerError.invalidInput("upper needs a text input") }
        return input.data.text.raw
    }
}
