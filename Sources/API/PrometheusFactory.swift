import CoreMetrics
import Jobs
import Prometheus

/// swift-metrics over one `PrometheusCollectorRegistry`, like swift-prometheus's own
/// `PrometheusMetricsFactory`, but every metric gets its `# HELP` line (from `help`) and each
/// timer its buckets (from `timerBuckets`). The executable bootstraps `MetricsSystem` with one
/// over the process's registry; the API server and tests make their own over a registry they
/// pass, so nothing depends on the global bootstrap.
///
/// A registry refuses (traps on) one name made with two help texts or two bucket lists: every
/// factory over a registry must use the same tables, which is why they default to `catalog`.
public struct PrometheusFactory: MetricsFactory {
    /// Every metric facejob defines, and its help text.
    public static let catalog: [String: String] = APIMetrics.help.merging(JobMetrics.help) { api, _ in api }

    /// The registry the metrics live in (and are exposed from).
    public let registry: PrometheusCollectorRegistry
    let help: [String: String]
    let timerBuckets: [String: [Duration]]

    /// A factory over `registry`.
    public init(registry: PrometheusCollectorRegistry, help: [String: String] = PrometheusFactory.catalog,
                timerBuckets: [String: [Duration]] = APIMetrics.timerBuckets) {
        self.registry = registry
        self.help = help
        self.timerBuckets = timerBuckets
    }

    /// The name and help text of `label`.
    func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: help[label] ?? "")
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions,
                                           buckets: PrometheusMetricsFactory(registry: registry).defaultValueHistogramBuckets)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> TimerHandler {
        let buckets = timerBuckets[label] ?? PrometheusMetricsFactory(registry: registry).defaultDurationHistogramBuckets
        return registry.makeDurationHistogram(descriptor: descriptor(label), labels: dimensions, buckets: buckets)
    }

    public func destroyCounter(_ handler: CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyFloatingPointCounter(_ handler: FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyRecorder(_ handler: RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { registry.unregisterValueHistogram(histogram) }
    }

    public func destroyMeter(_ handler: MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    public func destroyTimer(_ handler: TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
