/// A rescan's outcome in a stable JSON shape: `facejob rescan --json` prints it and
/// `POST /jobs/{id}/rescan` answers it.
public struct RescanSummary: Encodable, Sendable {
    /// `R<id>`.
    public var rescan: String
    /// `done`, `partial` or `failed`.
    public var status: String
    /// True when it had finished before and nothing was searched.
    public var alreadyFinished: Bool
    /// The jobs searched.
    public var jobs: [Int64]
    /// The watchlist searched.
    public var watchlist: String
    /// Inputs searched.
    public var inputs: Int
    /// Stored faces searched.
    public var faces: Int64
    /// Hits.
    public var hits: Int64
    /// Frames decoded (thumbnails only).
    public var framesDecoded: Int64
    /// Inputs left out, and why.
    public var skipped: [String]
    /// Footage that changed or went missing.
    public var warnings: [String]
    /// Report files.
    public var reports: [String]

    /// The summary of a rescan's result.
    public init(_ r: RescanResult) {
        rescan = "R\(r.rescan.id)"
        status = r.rescan.status
        alreadyFinished = r.alreadyFinished
        jobs = r.rescan.jobIDs
        watchlist = r.rescan.watchlistName
        inputs = r.inputs.count
        faces = r.faces
        hits = r.hits
        framesDecoded = r.framesDecoded
        skipped = r.rescan.skipped
        warnings = r.inputs.compactMap(\.warning)
        reports = r.reportFiles.map(\.path)
    }

    enum CodingKeys: String, CodingKey {
        case rescan, status, jobs, watchlist, inputs, faces, hits, skipped, warnings, reports
        case alreadyFinished = "already_finished", framesDecoded = "frames_decoded"
    }
}
