/// What a clustering run did, for `facejob unknowns --json`, the API and the job runner.
public struct UnknownsSummary: Encodable, Sendable, Equatable {
    /// The jobs whose tracks were grouped.
    public var jobs: [Int64]
    /// Unmatched tracks placed by this run.
    public var tracksPlaced: Int
    /// Of those, tracks that joined persons known before.
    public var joinedExisting: Int
    /// Persons this run created, in order (`U-<id>`).
    public var newPersons: [String]
    /// Persons with a track in the selected jobs, after the run.
    public var persons: Int
    /// Inputs left out, and why.
    public var skipped: [String]
    /// Footage that changed or went missing (thumbnails missing).
    public var warnings: [String]
    /// Report files.
    public var reports: [String]
    /// Seconds spent grouping (reading tracks, clustering, storing).
    public var clusteringSeconds: Double

    enum CodingKeys: String, CodingKey {
        case jobs, persons, skipped, warnings, reports
        case tracksPlaced = "tracks_placed", joinedExisting = "joined_existing", newPersons = "new_persons"
        case clusteringSeconds = "clustering_seconds"
    }
}
