import ClarifaiAPI
import Foundation
import GRPCCore
import RunnerKit
import SwiftProtobuf

/// The connection and scope that every `runner` subcommand needs.
struct RunnerAdmin {
    let endpoint: APIEndpoint
    let metadata: Metadata
    let userID: String
    let computeClusterID: String
    let nodepoolID: String

    init(connection: ConnectionOptions) throws(CLIError) {
        let settings = try Settings.resolve(flags: connection.givenFlags)
        endpoint = try settings.endpoint()
        metadata = try settings.credentials().metadata
        userID = try settings.required(.userID, flag: "--user-id")
        computeClusterID = try settings.required(.computeClusterID, flag: "--compute-cluster-id")
        nodepoolID = try settings.required(.nodepoolID, flag: "--nodepool-id")
    }

    var userAppID: Clarifai_Api_UserAppIDSet {
        var ids = Clarifai_Api_UserAppIDSet()
        ids.userID = userID
        return ids
    }

    /// A request of `R` scoped to this user, compute cluster and nodepool.
    func request<R: RunnerScopedRequest>(_: R.Type = R.self) -> R {
        var request = R()
        request.userAppID = userAppID
        request.nodepoolID = nodepoolID
        request.computeClusterID = computeClusterID
        return request
    }

    /// Runs one call, turning transport failures into a clear "unreachable" error.
    func call<R: Sendable>(_ body: (Clarifai_Api_V2.Client<GRPCNIOTransportHTTP2.HTTP2ClientTransport.Posix>) async throws -> R) async throws(CLIError) -> R {
        do {
            return try await withClarifaiAPI(endpoint: endpoint, body)
        } catch let error as RPCError {
            throw .unavailable("cannot reach the Clarifai API at \(endpoint): \(error.code): \(error.message)")
        } catch {
            throw .unavailable("cannot reach the Clarifai API at \(endpoint): \(error)")
        }
    }

    /// Fails with the API's status unless it is SUCCESS.
    func check(_ status: Clarifai_Api_Status_Status, doing what: String) throws(CLIError) {
        guard status.code == .success else {
            let kind: CLIError.Kind = [.connKeyInvalid, .connKeyNotFound, .connTokenInvalid, .connCredentialsInvalid, .connInsufficientScopes]
                .contains(status.code) ? .unavailable : .runtime
            throw CLIError(kind: kind, message: "\(what) failed: \(status.code) (\(status.code.rawValue)) \(status.description_p) \(status.details)")
        }
    }

    /// One runner as a line of JSON, for scripts.
    static func json(_ runner: Clarifai_Api_Runner) -> String {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        return (try? runner.jsonString(options: options)) ?? "{}"
    }
}

import GRPCNIOTransportHTTP2

/// The runner-admin requests, which all name the same scope.
protocol RunnerScopedRequest {
    init()
    var userAppID: Clarifai_Api_UserAppIDSet { get set }
    var nodepoolID: String { get set }
    var computeClusterID: String { get set }
}

extension Clarifai_Api_PostRunnersRequest: RunnerScopedRequest {}
extension Clarifai_Api_GetRunnerRequest: RunnerScopedRequest {}
extension Clarifai_Api_ListRunnersRequest: RunnerScopedRequest {}
extension Clarifai_Api_DeleteRunnersRequest: RunnerScopedRequest {}
