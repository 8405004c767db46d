import Foundation

/// Counters for `GET /metrics` in the Prometheus text format (written here, no dependency):
/// requests by route and status, a latency histogram per route, faces embedded.
public final class APIMetrics: @unchecked Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    private let lock = NSLock()
    private var requests: [String: Int] = [:]  // "route|status"
    private var histograms: [String: (counts: [Int], sum: Double, count: Int)] = [:]
    private var facesEmbedded = 0
    private var rejectedBusy = 0

    /// An empty set of counters.
    public init() {}

    func record(route: String, status: Int, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        requests["\(route)|\(status)", default: 0] += 1
        var h = histograms[route] ?? (Array(repeating: 0, count: Self.buckets.count), 0, 0)
        for (i, b) in Self.buckets.enumerated() where seconds <= b { h.counts[i] += 1 }
        h.sum += seconds
        h.count += 1
        histograms[route] = h
        if status == 503 { rejectedBusy += 1 }
    }

    func addFacesEmbedded(_ n: Int) {
        lock.lock()
        facesEmbedded += n
        lock.unlock()
    }

    /// The exposition text; `indexSizes` are per-watchlist live face counts read at scrape time.
    func render(pending: Int, workers: Int, indexSizes: [(watchlist: String, faces: Int, identities: Int)]) -> String {
        lock.lock()
        defer { lock.unlock() }
        var out = "# HELP facejob_http_requests_total HTTP requests by route and status.\n# TYPE facejob_http_requests_total counter\n"
        for (key, n) in requests.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            out += "facejob_http_requests_total{route=\"\(Self.escape(parts[0]))\",status=\"\(parts[1])\"} \(n)\n"
        }
        out += "# HELP facejob_http_request_duration_seconds Request latency by route.\n# TYPE facejob_http_request_duration_seconds histogram\n"
        for (route, h) in histograms.sorted(by: { $0.key < $1.key }) {
            let r = Self.escape(route)
            for (i, b) in Self.buckets.enumerated() {
                out += "facejob_http_request_duration_seconds_bucket{route=\"\(r)\",le=\"\(b)\"} \(h.counts[i])\n"
            }
            out += "facejob_http_request_duration_seconds_bucket{route=\"\(r)\",le=\"+Inf\"} \(h.count)\n"
            out += "facejob_http_request_duration_seconds_sum{route=\"\(r)\"} \(h.sum)\n"
            out += "facejob_http_request_duration_seconds_count{route=\"\(r)\"} \(h.count)\n"
        }
        out += "# HELP facejob_faces_embedded_total Faces detected and embedded by this process.\n# TYPE facejob_faces_embedded_total counter\n"
        out += "facejob_faces_embedded_total \(facesEmbedded)\n"
        out += "# HELP facejob_work_pending Requests running or queued on the work pool.\n# TYPE facejob_work_pending gauge\n"
        out += "facejob_work_pending \(pending)\n"
        out += "# HELP facejob_work_workers Work pool threads.\n# TYPE facejob_work_workers gauge\nfacejob_work_workers \(workers)\n"
        out += "# HELP facejob_watchlist_faces Live enrolled faces per watchlist (the index size).\n# TYPE facejob_watchlist_faces gauge\n"
        for s in indexSizes { out += "facejob_watchlist_faces{watchlist=\"\(Self.escape(s.watchlist))\"} \(s.faces)\n" }
        out += "# HELP facejob_watchlist_identities Live identities per watchlist.\n# TYPE facejob_watchlist_identities gauge\n"
        for s in indexSizes { out += "facejob_watchlist_identities{watchlist=\"\(Self.escape(s.watchlist))\"} \(s.identities)\n" }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
