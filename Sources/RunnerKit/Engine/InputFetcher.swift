import AsyncHTTPClient
import ClarifaiAPI
import Foundation
import NIOCore

/// Replaces URL inputs (image, video, audio, text) with their bytes before a handler sees them,
/// as the official runner does, but within limits, and failing the input instead of running the
/// model on empty data when a fetch fails.
struct InputFetcher: Sendable {
    let limits: URLFetchLimits

    /// Whether the input names any URL still to be fetched.
    static func needsFetch(_ input: Clarifai_Api_Input) -> Bool {
        let data = input.data
        return (!data.image.url.isEmpty && data.image.base64.isEmpty)
            || (!data.video.url.isEmpty && data.video.base64.isEmpty)
            || (!data.audio.url.isEmpty && data.audio.base64.isEmpty)
            || (!data.text.url.isEmpty && data.text.raw.isEmpty)
    }

    /// Returns the input with every URL replaced by the fetched bytes (the URL is kept for reference).
    func resolve(_ input: Clarifai_Api_Input) async throws -> Clarifai_Api_Input {
        guard Self.needsFetch(input) else { return input }
        var input = input
        if !input.data.image.url.isEmpty, input.data.image.base64.isEmpty {
            input.data.image.base64 = try await fetch(input.data.image.url, kind: "image")
        }
        if !input.data.video.url.isEmpty, input.data.video.base64.isEmpty {
            input.data.video.base64 = try await fetch(input.data.video.url, kind: "video")
        }
        if !input.data.audio.url.isEmpty, input.data.audio.base64.isEmpty {
            input.data.audio.base64 = try await fetch(input.data.audio.url, kind: "audio")
        }
        if !input.data.text.url.isEmpty, input.data.text.raw.isEmpty {
            let bytes = try await fetch(input.data.text.url, kind: "text")
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ModelHandlerError.invalidInput("text at \(Self.redacted(input.data.text.url)) is not valid UTF-8")
            }
            input.data.text.raw = text
        }
        return input
    }

    private func fetch(_ urlString: String, kind: String) async throws -> Data {
        let shown = Self.redacted(urlString)
        guard let url = URL(string: urlString), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw ModelHandlerError.invalidInput("\(kind) url \(shown) is not a valid URL")
        }
        guard limits.allowedSchemes.contains(scheme) else {
            throw ModelHandlerError.invalidInput("\(kind) url scheme '\(scheme)' is not allowed (only \(limits.allowedSchemes.sorted().joined(separator: ", ")))")
        }
        var request = HTTPClientRequest(url: urlString)
        request.method = .GET
        let timeout = TimeAmount.nanoseconds(Int64(limits.timeout.seconds * 1e9))
        let response: HTTPClientResponse
        do {
            response = try await Self.client.execute(request, timeout: timeout)
        } catch {
            throw ModelHandlerError.invalidInput("could not fetch \(kind) url \(shown): \(Self.reason(error))")
        }
        guard (200..<300).contains(response.status.code) else {
            throw ModelHandlerError.invalidInput("fetching \(kind) url \(shown) answered HTTP \(response.status.code)")
        }
        if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBytes {
            throw ModelHandlerError.invalidInput("\(kind) url \(shown) is \(length) bytes, over the \(limits.maxBytes)-byte limit")
        }
        do {
            let body = try await response.body.collect(upTo: limits.maxBytes)
            return Data(body.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw ModelHandlerError.invalidInput("\(kind) url \(shown) is over the \(limits.maxBytes)-byte limit")
        } catch {
            throw ModelHandlerError.invalidInput("could not read \(kind) url \(shown): \(Self.reason(error))")
        }
    }

    /// `HTTPClient.shared`'s settings but a short connect timeout: the shared client retries a
    /// refused connection until its 90 s connect timeout, so an unreachable URL held its item for
    /// the whole fetch timeout instead of failing it at once.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.timeout.connect = .seconds(3)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// URLs may carry credentials in their user info or query; never echo those.
    static func redacted(_ urlString: String) -> String {
        guard var components = URLComponents(string: urlString) else { return "(unparseable)" }
        components.user = nil
        components.password = nil
        components.query = nil
        return components.string ?? "(unparseable)"
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "timed out"
        }
        return ErrorDescription.sanitize(String(describing: error))
    }
}
