import Store

/// A job's hits as comparable strings (input, frame, time, identity, track, distance, box), sorted:
/// what two runs over the same footage must share, whatever their job ids and however they were
/// interrupted.
public enum JobHitSet {
    /// The hit set of job `jobID`.
    public static func of(_ jobs: JobRepository, jobID: Int64) throws -> [String] {
        try jobs.hits(jobID: jobID).map {
            "\($0.inputOrdinal)|\($0.detection.frameIndex)|\($0.detection.ptsMicroseconds)|\($0.hit.identityName)|"
                + "\($0.detection.trackID)|\($0.hit.distance)|\($0.detection.box)"
        }.sorted()
    }
}
