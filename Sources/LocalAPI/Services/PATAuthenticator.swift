import ClarifaiAPI
import Foundation
import GRPCCore

/// Checks a call's credentials the way the Clarifai API does: `authorization: Key <PAT>`, or an
/// `x-clarifai-session-token`.
struct PATAuthenticator: Sendable {
    private let accepted: Set<String>

    /// An authenticator accepting the given tokens.
    init(pats: [String]) {
        self.accepted = Set(pats.filter { !$0.isEmpty })
    }

    /// The status to answer with, or `nil` if the call may proceed.
    ///
    /// Clarifai reports bad credentials as a status in the response body with gRPC OK, so callers
    /// and runners see `CONN_KEY_NOT_FOUND` or `CONN_KEY_INVALID` rather than a transport error.
    func rejection(for metadata: Metadata) -> Clarifai_Api_Status_Status? {
        var presented = false
        for value in metadata[stringValues: "authorization"] {
            presented = true
            if let token = Self.token(fromAuthorization: value), accepted.contains(token) { return nil }
        }
        for value in metadata[stringValues: "x-clarifai-session-token"] {
            presented = true
            if accepted.contains(Self.trimmed(value)) { return nil }
        }
        if presented {
            return .make(.connKeyInvalid, "The API key or session token is not valid for this local API")
        }
        return .make(
            .connKeyNotFound,
            "No API key: send the metadata 'authorization: Key <PAT>' or 'x-clarifai-session-token'"
        )
    }

    /// The token in `Key <PAT>` (or `Bearer <PAT>`); the scheme is case-insensitive.
    static func token(fromAuthorization value: String) -> String? {
        let trimmedValue = trimmed(value)
        guard let space = trimmedValue.firstIndex(of: " ") else { return nil }
        let scheme = trimmedValue[..<space].lowercased()
        guard scheme == "key" || scheme == "bearer" else { return nil }
        return trimmed(String(trimmedValue[space...]))
    }

    private static func trimmed(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces)
    }
}
