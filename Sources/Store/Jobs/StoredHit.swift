import Common
import Postgres

/// A committed hit joined with its detection and input: one report row's raw material.
public struct StoredHit: Sendable, Equatable {
    /// The input's position in the job.
    public var inputOrdinal: Int
    /// The face's detection.
    public var detection: DetectionRow
    /// The match.
    public var hit: HitRow

    /// Decodes the 20 columns `input_ordinal, frame_index, sample_ordinal, pts_us, detection_index,
    /// box_x, box_y, box_w, box_h, score, track_id, identity_id, identity_name, external_id, face_id,
    /// distance, similarity, rank, threshold, thumbnail` (a job's hits and a rescan's both read them).
    init(row r: PostgresRow) throws {
        let frame: Int64 = try r.decode(1), index: Int = try r.decode(4)
        inputOrdinal = try r.decode(0)
        detection = DetectionRow(frameIndex: frame, sampleOrdinal: try r.decode(2), ptsMicroseconds: try r.decode(3),
                                 detectionIndex: index,
                                 box: PixelBox(x: try r.decode(5), y: try r.decode(6), width: try r.decode(7), height: try r.decode(8)),
                                 score: try r.decode(9), trackID: try r.decode(10), embedding: [])
        hit = HitRow(frameIndex: frame, detectionIndex: index, identityID: try r.decode(11),
                     identityName: try r.decode(12), externalID: try r.decode(13), faceID: try r.decode(14),
                     distance: try r.decode(15), similarity: try r.decode(16), rank: try r.decode(17),
                     threshold: try r.decode(18), thumbnail: try r.decode(19))
    }
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
