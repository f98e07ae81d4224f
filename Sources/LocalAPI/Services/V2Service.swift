import ClarifaiAPI
import Foundation
import GRPCCore
import Logging

/// The embedded `clarifai.api.V2` service: the callers' model-output methods, the runners' item
/// methods and the runner records.
///
/// It implements the generated ``Clarifai_Api_V2/ServiceProtocol`` (not the simple one) because
/// every method needs the call's metadata for authentication. The pruned generated service holds
/// exactly the methods implemented here; any other V2 method answers UNIMPLEMENTED.
struct V2Service: Clarifai_Api_V2.ServiceProtocol {
    /// Routes jobs between callers and runners.
    let broker: Broker
    /// The runner records.
    let registry: RunnerRegistry
    /// Checks every call's credentials.
    let authenticator: PATAuthenticator
    /// Timeouts and limits.
    let configuration: LocalAPIConfiguration
    /// Where the service logs.
    let logger: Logger

    /// A fresh random item id.
    static func newItemID() -> String {
        UUID().uuidString.lowercased()
    }
}
