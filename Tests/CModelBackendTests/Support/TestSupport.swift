import ClarifaiAPI
import Logging
import RunnerKit
import SwiftProtobuf
import Synchronization

/// A logger that drops everything: tests assert on behaviour, not log lines.
let quietLogger = Logger(label: "CModelBackendTests") { _ in SwiftLogNoOpLogHandler() }

func context(
    _ mode: InferenceMode,
    params: [String: Google_Protobuf_Value] = [:],
    cancellation: CancellationFlag = CancellationFlag()
) -> InferenceContext {
    var info = Clarifai_Api_OutputInfo()
    info.params = Google_Protobuf_Struct(fields: params)
    return InferenceContext(
        itemID: "item-1", mode: mode, outputInfo: info, cancellation: cancellation, logger: quietLogger)
}

func textInput(_ text: String) -> Clarifai_Api_Input {
    var input = Clarifai_Api_Input()
    input.id = "input-1"
    input.data.text.raw = text
    return input
}

/// Collects what a handler writes, and can act after the n-th output (cancel, fail).
final class OutputCollector: Sendable {
    private let collected = Mutex<[Clarifai_Api_Output]>([])
    private let afterEach: @Sendable (Int) throws -> Void

    init(afterEach: @escaping @Sendable (Int) throws -> Void = { _ in }) {
        self.afterEach = afterEach
    }

    var outputs: [Clarifai_Api_Output] { collected.withLock { $0 } }
    var texts: [String] { outputs.map(\.data.text.raw) }

    var writer: OutputWriter {
        OutputWriter { output in
            let count = self.collected.withLock { outputs in
                outputs.append(output)
                return outputs.count
            }
            try self.afterEach(count)
        }
    }
}

/// The inputs of a stream-stream call, all available at once.
func inputStream(_ texts: [String]) -> InputStream {
    InputStream { continuation in
        for text in texts { continuation.yield(textInput(text)) }
        continuation.finish()
    }
}

struct WriterGone: Error, Equatable {}
