import Foundation
import Media
import Search
import Store
import Watchlist

/// What every input of a job shares: identity, settings, watchlist scope and output folder.
public struct PipelineContext: Sendable {
    /// The job.
    public var jobID: Int64
    /// The job's manifest (defaults filled in).
    public var manifest: Manifest
    /// Absolute report folder (thumbnails go to its `thumbs/`).
    public var reportDirectory: URL
    /// Watchlist + embedding model searched.
    public var scope: WatchlistScope
    /// Sampled frames per engine call and per committed transaction.
    public var batchSize: Int
    /// Seconds a lease lasts without a commit or heartbeat.
    public var leaseSeconds: Double

    /// Creates a context.
    public init(jobID: Int64, manifest: Manifest, reportDirectory: URL, scope: WatchlistScope,
                batchSize: Int = 8, leaseSeconds: Double = 120) {
        self.jobID = jobID
        self.manifest = manifest
        self.reportDirectory = reportDirectory
        self.scope = scope
        self.batchSize = batchSize
        self.leaseSeconds = leaseSeconds
    }

    /// The decoder options for an input resumed after `checkpointMs` (nil: from the start).
    func decodeOptions(resumeAfterMs checkpointMs: Int64?) -> DecodeOptionsSpec {
        var spec = DecodeOptionsSpec()
        switch manifest.sampling.mode {
        case .everyN(let n): spec.sampling = n <= 1 ? .all : .every(n)
        case .fps(let f): spec.sampling = .fps(f)
        case .keyframes: spec.sampling = .keyframes
        }
        let window = manifest.sampling.window
        if window.from > 0 { spec.fromMs = Int64((window.from * 1000).rounded(.down)) }
        // The manifest's window end is exclusive, the decoder's inclusive.
        if let to = window.to { spec.toMs = Int64((to * 1000).rounded(.up)) - 1 }
        spec.resumeAfterMs = checkpointMs
        return spec
    }

    /// The watchlist search request the manifest asks for.
    var searchRequest: WatchlistSearchRequest {
        WatchlistSearchRequest(method: manifest.search.method == .ann ? .ann : .exact, k: manifest.search.k,
                               threshold: Float(manifest.search.threshold))
    }
}

/// Decoder options without FFmpeg types leaking into the context.
struct DecodeOptionsSpec {
    var sampling: SamplingPolicy = .all
    var fromMs: Int64?
    var toMs: Int64?
    var resumeAfterMs: Int64?
    /// FFmpeg's threads for this input (`decoderThreads(analysisThreads:)`).
    var threads = 1

    /// The decoder's threads for an input analysed on `analysisThreads` threads: one up to 3, then
    /// half as many as analysis. Measured on 2 cores (benchmarks.md, "1080p CCTV"): decoding is
    /// 30-50 % of the CPU of a gated 1080p input, so with 2 analysis threads the cores are full
    /// and a second decoder thread only cost 0-3 %; where analysis leaves cores idle the input is
    /// bound by its decoder, and a second thread gave 1.35x (63 to 85 sampled frames/s).
    static func decoderThreads(analysisThreads: Int) -> Int { max(1, analysisThreads / 2) }

    var options: DecodeOptions {
        var o = DecodeOptions()
        o.sampling = sampling
        o.fromMs = fromMs
        o.toMs = toMs
        o.resumeAfterMs = resumeAfterMs
        o.threads = max(1, threads)
        return o
    }
}
