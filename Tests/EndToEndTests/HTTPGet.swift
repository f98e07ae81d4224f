import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches `path` from the daemon's health/metrics port on loopback; the body as text.
func httpGet(_ path: String, port: Int) async throws -> String {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.timeoutInterval = 10
    let (data, _) = try await URLSession.shared.data(for: request)
    return String(decoding: data, as: UTF8.self)
}
