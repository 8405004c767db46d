import Common

/// Review requests about things a job does not have (exit 64).
public enum ReviewStoreError: UserFacingError, Equatable {
    /// No such sighting in the job.
    case noSuchSighting(job: Int64, sighting: Int64)
    /// No such hit in the job.
    case noSuchHit(job: Int64, hit: String)
    /// A reviewer must be named.
    case noReviewer

    public var description: String {
        switch self {
        case .noSuchSighting(let job, let sighting):
            return "job \(job) has no sighting \(sighting) (see sightings.csv or `facejob review \(job)`)"
        case .noSuchHit(let job, let hit):
            return "job \(job) has no hit \(hit) (INPUT/FRAME/IDENTITY, see hits.csv)"
        case .noReviewer:
            return "a decision needs a reviewer: --reviewer NAME, or $USER"
        }
    }

    public var exitStatus: ExitStatus { .usage }
}
