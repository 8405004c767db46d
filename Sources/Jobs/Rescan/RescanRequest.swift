import Foundation

/// What a rescan searches: stored faces of finished jobs, named or selected by camera and
/// recording time, against a watchlist as it is now.
public struct RescanRequest: Sendable, Equatable {
    /// Jobs by id or name (the newest job of that name). Empty with `all`.
    public var jobs: [String]
    /// Every finished job (filtered by `camera`, `from`, `to`).
    public var all: Bool
    /// Only inputs of this camera.
    public var camera: String?
    /// Only inputs whose recording overlaps [from, to] (wall clock); inputs without a recording
    /// time are left out, and the report says so.
    public var from: Date?
    /// See `from`.
    public var to: Date?
    /// The watchlist searched.
    public var watchlist: String
    /// The report folder; nil: `rescan-<id>` beside the newest job's report folder.
    public var reportDirectory: String?
    /// A threshold for every job instead of each job's own.
    public var threshold: Double?
    /// Cut thumbnails of the hits (seeking only their frames).
    public var thumbnails: Bool
    /// Run again from scratch although it finished.
    public var force: Bool

    /// A request.
    public init(jobs: [String] = [], all: Bool = false, camera: String? = nil, from: Date? = nil, to: Date? = nil,
                watchlist: String, reportDirectory: String? = nil, threshold: Double? = nil, thumbnails: Bool = true,
                force: Bool = false) {
        self.jobs = jobs
        self.all = all
        self.camera = camera
        self.from = from
        self.to = to
        self.watchlist = watchlist
        self.reportDirectory = reportDirectory
        self.threshold = threshold
        self.thumbnails = thumbnails
        self.force = force
    }
}
