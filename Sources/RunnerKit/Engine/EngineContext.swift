import ClarifaiAPI
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging

/// What every work loop shares: the API client, the dispatcher and the engine's bookkeeping.
struct EngineContext: Sendable {
    let configuration: RunnerConfiguration
    let api: Clarifai_Api_V2.Client<HTTP2ClientTransport.Posix>
    let dispatcher: ItemDispatcher
    let messages: RunnerMessages
    let registry: CancellationRegistry
    let permits: AsyncSemaphore
    let drain: DrainSignal
    let outage: OutageReporter
    let state: RunnerState
    let metrics: RunnerMetrics
    let logger: Logger

    /// Metadata for one call: the credentials plus a request id shaped like the official runner's.
    func metadata(requestIDPrefix: String) -> Metadata {
        var metadata = configuration.credentials.metadata
        metadata.addString("\(requestIDPrefix)-\(UUID().uuidString.lowercased())", forKey: "x-request-id")
        return metadata
    }

    /// Call options: fail fast when disconnected (the loops own the backoff) and allow large messages.
    var callOptions: CallOptions {
        var options = CallOptions.defaults
        options.waitForReady = false
        options.maxRequestMessageBytes = configuration.maxMessageBytes
        options.maxResponseMessageBytes = configuration.maxMessageBytes
        return options
    }
}
