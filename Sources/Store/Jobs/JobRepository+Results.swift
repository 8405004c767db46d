import Common
import Postgres

extension JobRepository {
    /// Every committed hit of a job with its detection, in input, time, detection and rank order.
    public func hits(jobID: Int64) throws -> [StoredHit] {
        try connection.execute("""
            SELECT d.input_ordinal, d.frame_index, d.sample_ordinal, d.pts_us, d.detection_index, d.box_x, d.box_y,
                   d.box_w, d.box_h, d.score, d.track_id, h.identity_id, h.identity_name, h.external_id, h.face_id,
                   h.distance, h.similarity, h.rank, h.threshold, h.thumbnail
            FROM job_hits h JOIN job_detections d USING (job_id, input_ordinal, frame_index, detection_index)
            WHERE h.job_id = $1
            ORDER BY d.input_ordinal, d.pts_us, d.frame_index, d.detection_index, h.rank, h.identity_id
            """, [.int8(jobID)], resultFormat: .binary).rows.map { try StoredHit(row: $0) }
    }

    /// Replaces the job's stored sightings (they are derived from hits each time reports are written).
    public func replaceSightings(jobID: Int64, _ sightings: [SightingRow]) throws {
        try connection.transaction {
            try connection.execute("DELETE FROM job_sightings WHERE job_id = $1", [.int8(jobID)])
            guard !sightings.isEmpty else { return }
            try connection.copyIn("""
                COPY job_sightings (job_id, sighting_id, input_ordinal, track_id, identity_id, first_us, last_us,
                    best_frame, best_distance, hit_count) FROM STDIN (FORMAT binary)
                """) { w in
                for s in sightings {
                    try w.append([.int8(jobID), .int8(s.id), .int4(Int32(s.inputOrdinal)), .int8(s.trackID),
                                  .int8(s.identityID), .int8(s.firstMicroseconds), .int8(s.lastMicroseconds),
                                  .int8(s.bestFrame), .float8(s.bestDistance), .int8(s.count)])
                }
            }
        }
    }

    /// Stored sightings of a job by id.
    public func sightings(jobID: Int64) throws -> [SightingRow] {
        try connection.execute("""
            SELECT sighting_id, input_ordinal, track_id, identity_id, first_us, last_us, best_frame, best_distance, hit_count
            FROM job_sightings WHERE job_id = $1 ORDER BY sighting_id
            """, [.int8(jobID)], resultFormat: .binary).rows.map { r in
            SightingRow(id: try r.decode(0), inputOrdinal: try r.decode(1), trackID: try r.decode(2),
                        identityID: try r.decode(3), firstMicroseconds: try r.decode(4), lastMicroseconds: try r.decode(5),
                        bestFrame: try r.decode(6), bestDistance: try r.decode(7), count: try r.decode(8))
        }
    }
}
