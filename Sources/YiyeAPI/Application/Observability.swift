import Metrics
import Prometheus

/// The process's metrics registry; swift-metrics can be bootstrapped once per process, tests build many apps.
enum Observability {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
