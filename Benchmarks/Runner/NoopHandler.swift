import ClarifaiAPI
import RunnerKit

/// A Swift model that does no work, so that what is measured is the runner: predict echoes the
/// input text, generate yields one output per word, stream echoes each message.
struct NoopHandler: ModelHandler {
    func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        .text(input.data.text.raw)
    }

    func generate(_ input: Clarifai_Api_Input, context: InferenceContext, output: OutputWriter) async throws {
        for word in input.data.text.raw.split(separator: " ") {
            try await output.write(.text(String(word)))
        }
    }

    func stream(_ inputs: InputStream, context: InferenceContext, output: OutputWriter) async throws {
        for try await input in inputs {
            try await output.write(.text(input.data.text.raw))
        }
    }
}
