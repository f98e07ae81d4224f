import ClarifaiAPI
import GRPCCore

/// Runner records. Changes update the broker's routing at once: a runner registered for a model only
/// gets that model's requests.
extension V2Service {
    func postRunners(
        request: ServerRequest<Clarifai_Api_PostRunnersRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiRunnerResponse> {
        authorized(request.metadata) { (response: inout Clarifai_Api_MultiRunnerResponse) in
            let message = request.message
            let result = registry.create(message.runners, nodepoolID: message.nodepoolID, computeClusterID: message.computeClusterID)
            if case .success(let runners) = result {
                logger.info("Runners created", metadata: ["runner_ids": "\(runners.map(\.id))"])
            }
            apply(result, to: &response)
        }
    }

    func getRunner(
        request: ServerRequest<Clarifai_Api_GetRunnerRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_SingleRunnerResponse> {
        authorized(request.metadata) { (response: inout Clarifai_Api_SingleRunnerResponse) in
            if let runner = registry.get(id: request.message.runnerID) {
                response.status = .make(.success)
                response.runner = runner
            } else {
                response.status = .make(.runnerDoesNotExist, "No runner with id '\(request.message.runnerID)'")
            }
        }
    }

    func listRunners(
        request: ServerRequest<Clarifai_Api_ListRunnersRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiRunnerResponse> {
        authorized(request.metadata) { (response: inout Clarifai_Api_MultiRunnerResponse) in
            let message = request.message
            response.status = .make(.success)
            response.runners = registry.list(
                nodepoolID: message.nodepoolID,
                modelVersionIDs: message.modelVersionIds,
                page: Int(message.page),
                perPage: Int(message.perPage)
            )
        }
    }

    func patchRunners(
        request: ServerRequest<Clarifai_Api_PatchRunnersRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_MultiRunnerResponse> {
        authorized(request.metadata) { (response: inout Clarifai_Api_MultiRunnerResponse) in
            apply(registry.patch(request.message.runners, action: request.message.action), to: &response)
        }
    }

    func deleteRunners(
        request: ServerRequest<Clarifai_Api_DeleteRunnersRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Clarifai_Api_Status_BaseResponse> {
        authorized(request.metadata) { (response: inout Clarifai_Api_Status_BaseResponse) in
            if let failure = registry.delete(ids: request.message.ids) {
                response.status = failure
            } else {
                broker.setModelFilters(registry.modelFilters())
                response.status = .make(.success)
                logger.info("Runners deleted", metadata: ["runner_ids": "\(request.message.ids)"])
            }
        }
    }

    /// A response carrying the PAT's rejection, or whatever `answer` fills in for an accepted call.
    private func authorized<Response: StatusResponse>(
        _ metadata: Metadata, _ answer: (inout Response) -> Void
    ) -> ServerResponse<Response> {
        var response = Response()
        if let rejection = authenticator.rejection(for: metadata) {
            response.status = rejection
        } else {
            answer(&response)
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

/// The admin responses: each carries a top-level status, which a rejected PAT fills.
protocol StatusResponse: Sendable {
    init()
    var status: Clarifai_Api_Status_Status { get set }
}

extension Clarifai_Api_MultiRunnerResponse: StatusResponse {}
extension Clarifai_Api_SingleRunnerResponse: StatusResponse {}
extension Clarifai_Api_Status_BaseResponse: StatusResponse {}
