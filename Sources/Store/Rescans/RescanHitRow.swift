/// A watchlist match of a stored detection found by a rescan.
public struct RescanHitRow: Sendable, Equatable {
    /// The detection's job.
    public var jobID: Int64
    /// The detection's input in its job.
    public var inputOrdinal: Int
    /// The match, shaped as a job's hit.
    public var hit: HitRow

    /// A rescan hit.
    public init(jobID: Int64, inputOrdinal: Int, hit: HitRow) {
        self.jobID = jobID
        self.inputOrdinal = inputOrdinal
        self.hit = hit
    }
}
