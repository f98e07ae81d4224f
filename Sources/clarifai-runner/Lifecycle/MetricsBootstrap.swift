import Metrics
import Prometheus

/// The process's metrics go to one Prometheus registry, rendered by `/metrics`.
enum MetricsBootstrap {
    nonisolated(unsafe) private static var registry: PrometheusCollectorRegistry?

    /// Bootstraps swift-metrics once and returns the registry to render.
    static func prometheus() -> PrometheusCollectorRegistry {
        if let registry { return registry }
        let created = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: created)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
            .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
        registry = created
        return created
    }
}
