import ClarifaiAPI
import GRPCCore

/// The API's side of one `ProcessRunnerItems` stream, reporting a failed write as `false` rather
/// than an error, because a failed write only ever means the runner is gone.
struct RunnerStreamWriter: Sendable {
    let writer: RPCWriter<Clarifai_Api_MultiRunnerItemResponse>

    /// Sends one response; `false` if the runner is gone.
    func send(_ response: Clarifai_Api_MultiRunnerItemResponse) async -> Bool {
        do {
            try await writer.write(response)
            return true
        } catch {
            return false
        }
    }
}
