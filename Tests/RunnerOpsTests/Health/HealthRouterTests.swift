import NIOHTTP1
import Testing
@testable import RunnerOps

@Suite struct HealthRouterTests {
    private let router = HealthRouter(
        probes: HealthProbes(liveness: { true }, readiness: { false }, startup: { true }),
        metrics: { "up 1\n" }
    )

    @Test func answersProbes() {
        #expect(self.router.response(method: .GET, uri: "/healthz/liveness").status == .ok)
        #expect(self.router.response(method: .GET, uri: "/healthz/startup").body == "ok\n")
        let readiness = self.router.response(method: .GET, uri: "/healthz/readiness")
        #expect(readiness.status == .serviceUnavailable)
        #expect(readiness.body == "not ready\n")
    }

    @Test func ignoresQueryStrings() {
        #expect(self.router.response(method: .GET, uri: "/healthz/liveness?ts=1").status == .ok)
    }

    @Test func servesMetricsAsPrometheusText() {
        let metrics = self.router.response(method: .GET, uri: "/metrics")
        #expect(metrics.body == "up 1\n")
        #expect(metrics.contentType.hasPrefix("text/plain; version=0.0.4"))
    }

    @Test func rejectsUnknownPathsAndMethods() {
        #expect(self.router.response(method: .GET, uri: "/healthz").status == .notFound)
        #expect(self.router.response(method: .POST, uri: "/nope").status == .notFound)
        let post = self.router.response(method: .POST, uri: "/metrics")
        #expect(post.status == .methodNotAllowed)
        #expect(post.headers.contains { $0 == ("Allow", "GET, HEAD") })
        #expect(self.router.response(method: .HEAD, uri: "/metrics").status == .ok)
    }
}
