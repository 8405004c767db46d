import Postgres

/// A committed hit joined with its detection and input: one report row's raw material.
public struct StoredHit: Sendable, Equatable {
    /// The input's position in the job.
    public var inputOrdinal: Int
    /// The face's detection.
    public var detection: DetectionRow
    /// The match.
    public var hit: HitRow
}

/// A sighting as stored when reports are written.
public struct SightingRow: Sendable, Equatable {
    /// Sighting id within the job.
    public var id: Int64
    /// Input position.
    public var inputOrdinal: Int
    /// Track.
    public var trackID: Int64
    /// Identity.
    public var identityID: Int64
    /// First seen (µs).
    public var firstMicroseconds: Int64
    /// Last seen (µs).
    public var lastMicroseconds: Int64
    /// Frame of the best (lowest distance) hit.
    public var bestFrame: Int64
    /// Distance of the best hit.
    public var bestDistance: Double
    /// Hits in the sighting.
    public var count: Int64

    /// Creates a sighting row.
    public init(id: Int64, inputOrdinal: Int, trackID: Int64, identityID: Int64, firstMicroseconds: Int64,
                lastMicroseconds: Int64, bestFrame: Int64, bestDistance: Double, count: Int64) {
        self.id = id
        self.inputOrdinal = inputOrdinal
        self.trackID = trackID
        self.identityID = identityID
        self.firstMicroseconds = firstMicroseconds
        self.lastMicroseconds = lastMicroseconds
        self.bestFrame = bestFrame
        self.bestDistance = bestDistance
        self.count = count
    }
}
