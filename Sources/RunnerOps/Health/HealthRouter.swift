import NIOHTTP1

/// Maps a request line to a ``HealthResponse``.
struct HealthRouter: Sendable {
    /// The probe answers.
    let probes: HealthProbes
    /// Renders `/metrics`.
    let metrics: @Sendable () -> String

    /// The paths this server knows; the probe paths are the official Clarifai runner's.
    enum Route: String, CaseIterable, Sendable {
        case liveness = "/healthz/liveness"
        case readiness = "/healthz/readiness"
        case startup = "/healthz/startup"
        case metrics = "/metrics"
    }

    func response(method: HTTPMethod, uri: String) -> HealthResponse {
        // Scrapers and probes sometimes add cache-busting query strings; they never change the answer.
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        guard let route = Route(rawValue: path) else {
            return HealthResponse(status: .notFound, contentType: HealthResponse.plainText, body: "not found\n")
        }
        // HEAD is GET without a body (RFC 9110), and some load balancers probe with it.
        guard method == .GET || method == .HEAD else {
            return HealthResponse(
                status: .methodNotAllowed,
                contentType: HealthResponse.plainText,
                body: "method not allowed\n",
                headers: [("Allow", "GET, HEAD")]
            )
        }
        switch route {
        case .liveness: return Self.probe(self.probes.liveness())
        case .readiness: return Self.probe(self.probes.readiness())
        case .startup: return Self.probe(self.probes.startup())
        case .metrics:
            return HealthResponse(status: .ok, contentType: HealthResponse.prometheusText, body: self.metrics())
        }
    }

    private static func probe(_ healthy: Bool) -> HealthResponse {
        healthy
            ? HealthResponse(status: .ok, contentType: HealthResponse.plainText, body: "ok\n")
            : HealthResponse(status: .serviceUnavailable, contentType: HealthResponse.plainText, body: "not ready\n")
    }
}
