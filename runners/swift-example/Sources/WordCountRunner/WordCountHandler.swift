import ClarifaiAPI
import RunnerKit

/// Counts words (predict) and spells a text backwards word by word (generate).
/// Stream-stream is left out: RunnerKit answers it with a clear "unsupported mode" failure.
struct WordCountHandler: ModelHandler {
    func runInput(_ input: Clarifai_Api_Input, context: InferenceContext) async throws -> Clarifai_Api_Output {
        let words = input.data.text.raw.split(whereSeparator: \.isWhitespace)
        return .concepts([(name: "words", value: Float(words.count))])
    }

    func generate(_ input: Clarifai_Api_Input, context: InferenceContext, output: OutputWriter) async throws {
        for word in input.data.text.raw.split(whereSeparator: \.isWhitespace).reversed() {
            try await output.write(.text(String(word)))
        }
    }
}
