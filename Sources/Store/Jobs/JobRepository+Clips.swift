import Postgres

/// An evidence clip of a sighting, or why there is none.
public struct ClipRow: Sendable, Equatable {
    /// The sighting.
    public var sightingID: Int64
    /// Its input, identity and track when the clip was cut (a clip is shown only while they hold).
    public var inputOrdinal: Int
    /// Identity.
    public var identityID: Int64
    /// Track.
    public var trackID: Int64
    /// The clip, relative to the report folder; nil when it could not be cut.
    public var path: String?
    /// Its SHA-256.
    public var sha256: String?
    /// The span it covers on the input's timeline, ms.
    public var fromMs: Int64?
    /// End of the span.
    public var toMs: Int64?
    /// Why there is no clip (footage changed or missing, nothing to cut).
    public var warning: String?

    /// A clip row.
    public init(sightingID: Int64, inputOrdinal: Int, identityID: Int64, trackID: Int64, path: String?, sha256: String?,
                fromMs: Int64?, toMs: Int64?, warning: String?) {
        self.sightingID = sightingID
        self.inputOrdinal = inputOrdinal
        self.identityID = identityID
        self.trackID = trackID
        self.path = path
        self.sha256 = sha256
        self.fromMs = fromMs
        self.toMs = toMs
        self.warning = warning
    }
}

extension JobRepository {
    /// Replaces the job's clip rows.
    public func replaceClips(jobID: Int64, _ clips: [ClipRow]) throws {
        try connection.transaction {
            try connection.execute("DELETE FROM job_clips WHERE job_id = $1", [.int8(jobID)])
            for c in clips {
                try connection.execute("""
                    INSERT INTO job_clips (job_id, sighting_id, input_ordinal, identity_id, track_id, path, sha256, from_ms, to_ms,
                                           warning)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    """, [.int8(jobID), .int8(c.sightingID), .int4(Int32(c.inputOrdinal)), .int8(c.identityID), .int8(c.trackID),
                          c.path.map { .text($0) } ?? .null, c.sha256.map { .text($0) } ?? .null,
                          c.fromMs.map { .int8($0) } ?? .null, c.toMs.map { .int8($0) } ?? .null,
                          c.warning.map { .text($0) } ?? .null])
            }
        }
    }

    /// The job's clip rows by sighting id.
    public func clips(jobID: Int64) throws -> [ClipRow] {
        try connection.execute("""
            SELECT sighting_id, input_ordinal, identity_id, track_id, path, sha256, from_ms, to_ms, warning
            FROM job_clips WHERE job_id = $1 ORDER BY sighting_id
            """, [.int8(jobID)]).rows.map { r in
            ClipRow(sightingID: try r.decode(0), inputOrdinal: try r.decode(1), identityID: try r.decode(2),
                    trackID: try r.decode(3), path: try r.decode(4), sha256: try r.decode(5), fromMs: try r.decode(6),
                    toMs: try r.decode(7), warning: try r.decode(8))
        }
    }
}
