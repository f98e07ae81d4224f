import ClarifaiAPI
import GRPCCore

/// Runner records. Changes update the broker's routing at once: a runner registered for a model only
/// gets that model's requests.
extension V2Service {
    func postRunners(
        request: ServerRequest<Clarifai_Api_PostRunnersRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiRunnerResponse> {
        var response = Clarifai_Api_MultiRunnerResponse()
        if let rejection = authenticator.rejection(for: request.metadata) {
            response.status = rejection
            return ServerResponse(message: response)
        }
        let message = request.message
        let result = registry.create(message.runners, nodepoolID: message.nodepoolID, computeClusterID: message.computeClusterID)
        if case .success(let runners) = result {
            logger.info("Runners created", metadata: ["runner_ids": "\(runners.map(\.id))"])
        }
        apply(result, to: &response)
        return ServerResponse(message: response)
    }

    func getRunner(
        request: ServerRequest<Clarifai_Api_GetRunnerRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_SingleRunnerResponse> {
        var response = Clarifai_Api_SingleRunnerResponse()
        if let rejection = authenticator.rejection(for: request.metadata) {
            response.status = rejection
        } else if let runner = registry.get(id: request.message.runnerID) {
            response.status = .make(.success)
            response.runner = runner
        } else {
            response.status = .make(.runnerDoesNotExist, "No runner with id '\(request.message.runnerID)'")
        }
        return ServerResponse(message: response)
    }

    func listRunners(
        request: ServerRequest<Clarifai_Api_ListRunnersRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiRunnerResponse> {
        var response = Clarifai_Api_MultiRunnerResponse()
        if let rejection = authenticator.rejection(for: request.metadata) {
            response.status = rejection
            return ServerResponse(message: response)
        }
        let message = request.message
        response.status = .make(.success)
        response.runners = registry.list(
            nodepoolID: message.nodepoolID,
            modelVersionIDs: message.modelVersionIds,
            page: Int(message.page),
            perPage: Int(message.perPage)
        )
        return ServerResponse(message: response)
    }

    func patchRunners(
        request: ServerRequest<Clarifai_Api_PatchRunnersRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiRunnerResponse> {
        var response = Clarifai_Api_MultiRunnerResponse()
        if let rejection = authenticator.rejection(for: request.metadata) {
            response.status = rejection
            return ServerResponse(message: response)
        }
        apply(registry.patch(request.message.runners, action: request.message.action), to: &response)
        return ServerResponse(message: response)
    }

    func deleteRunners(
        request: ServerRequest<Clarifai_Api_DeleteRunnersRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_Status_BaseResponse> {
        var response = Clarifai_Api_Status_BaseResponse()
        if let rejection = authenticator.rejection(for: request.metadata) {
            response.status = rejection
        } else if let failure = registry.delete(ids: request.message.ids) {
            response.status = failure
        } else {
            broker.setModelFilters(registry.modelFilters())
            response.status = .make(.success)
            logger.info("Runners deleted", metadata: ["runner_ids": "\(request.message.ids)"])
        }
        return ServerResponse(message: response)
    }

    /// Answers a create or patch: on success the routing filters follow the registry.
    private func apply(
        _ result: Result<[Clarifai_Api_Runner], RegistryRejection>,
        to response: inout Clarifai_Api_MultiRunnerResponse
    ) {
        switch result {
        case .success(let runners):
            broker.setModelFilters(registry.modelFilters())
            response.status = .make(.success)
            response.runners = runners
        case .failure(let rejection):
            response.status = rejection.status
        }
    }
}
