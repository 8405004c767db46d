import CoreMetrics
import Foundation
import Jobs
import Prometheus

/// The REST API's metrics for `GET /metrics`, in a Prometheus registry through swift-metrics:
/// requests by route and status, a latency histogram per route, faces embedded, and gauges read
/// at scrape time (work pool, watchlist sizes). Jobs the server runs record `JobMetrics` into the
/// same registry, so one scrape shows both. docs/operations.md lists every metric.
public final class APIMetrics: @unchecked Sendable {
    /// Metric names and their help text.
    public static let help: [String: String] = [
        requests: "HTTP requests by route and status.",
        duration: "Request latency by route.",
        facesEmbeddedName: "Faces detected and embedded by this process.",
        pendingName: "Requests running or queued on the work pool.",
        workersName: "Work pool threads.",
        watchlistFaces: "Live enrolled faces per watchlist (the index size).",
        watchlistIdentities: "Live identities per watchlist.",
    ]

    /// Buckets of the request latency histogram, in seconds: 5 ms to 30 s.
    public static let timerBuckets: [String: [Duration]] = [
        duration: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000].map { Duration.milliseconds($0) },
    ]

    static let requests = "facejob_http_requests_total"
    static let duration = "facejob_http_request_duration_seconds"
    static let facesEmbeddedName = "facejob_faces_embedded_total"
    static let pendingName = "facejob_work_pending"
    static let workersName = "facejob_work_workers"
    static let watchlistFaces = "facejob_watchlist_faces"
    static let watchlistIdentities = "facejob_watchlist_identities"

    /// The factory every instrument of this server is made by (jobs' too).
    public let factory: PrometheusFactory
    private let facesEmbedded: CoreMetrics.Counter
    private let pending: Meter
    private let workers: Meter
    private let lock = NSLock()
    private var watchlists: Set<String> = []

    /// Metrics in `registry` (a new one unless given: the process's, for `facejob serve`).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        factory = PrometheusFactory(registry: registry)
        facesEmbedded = CoreMetrics.Counter(label: Self.facesEmbeddedName, factory: factory)
        pending = Meter(label: Self.pendingName, factory: factory)
        workers = Meter(label: Self.workersName, factory: factory)
    }

    /// Counts a request and its latency.
    func record(route: String, status: Int, seconds: Double) {
        CoreMetrics.Counter(label: Self.requests, dimensions: [("route", route), ("status", String(status))], factory: factory)
            .increment()
        CoreMetrics.Timer(label: Self.duration, dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    func addFacesEmbedded(_ n: Int) {
        facesEmbedded.increment(by: n)
    }

    /// The exposition text; `indexSizes` are per-watchlist live face counts read at scrape time
    /// (a watchlist no longer listed loses its series).
    func render(pending: Int, workers: Int, indexSizes: [(watchlist: String, faces: Int, identities: Int)]) -> String {
        self.pending.set(pending)
        self.workers.set(workers)
        lock.lock()
        defer { lock.unlock() }
        let registry = factory.registry
        let now = Set(indexSizes.map(\.watchlist))
        for gone in watchlists.subtracting(now) {
            for name in [Self.watchlistFaces, Self.watchlistIdentities] {
                registry.unregisterGauge(registry.makeGauge(descriptor: factory.descriptor(name), labels: [("watchlist", gone)]))
            }
        }
        for s in indexSizes {
            registry.makeGauge(descriptor: factory.descriptor(Self.watchlistFaces), labels: [("watchlist", s.watchlist)])
                .set(to: Double(s.faces))
            registry.makeGauge(descriptor: factory.descriptor(Self.watchlistIdentities), labels: [("watchlist", s.watchlist)])
                .set(to: Double(s.identities))
        }
        watchlists = now
        return registry.emitToString()
    }
}
