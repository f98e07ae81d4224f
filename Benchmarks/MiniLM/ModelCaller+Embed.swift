import ClarifaiAPI
import GRPCCore

extension ModelCaller {
    /// One unary embedding call; anything but one successful output carrying a vector of
    /// `dimensions` floats counts as a failure.
    func embed(_ request: Clarifai_Api_PostModelOutputsRequest, dimensions: Int) async throws {
        let response = try await api.postModelOutputs(request, metadata: Workload.metadata, options: Self.options)
        guard response.status.code == .success, response.outputs.count == 1 else {
            throw BenchError("embed answer \(response.status.code): \(response.status.description_p)")
        }
        let vectors = response.outputs[0].data.embeddings
        guard vectors.count == 1, vectors[0].vector.count == dimensions else {
            throw BenchError("embed answer carried \(vectors.count) embeddings of \(vectors.first?.vector.count ?? 0) floats")
        }
    }

    /// `callers` closed-loop callers, each sending one-input requests taken from `rotation`.
    func embedLoad(callers: Int, rotation: RequestRotation, dimensions: Int, warmup: Duration, duration: Duration) async -> LoadResult {
        await ClosedLoopLoad.run(callers: callers, warmup: warmup, duration: duration) {
            try await embed(rotation.take(), dimensions: dimensions)
        }
    }
}
