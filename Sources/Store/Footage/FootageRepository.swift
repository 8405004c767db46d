import Common
import Postgres

/// The faces finished jobs stored (`job_detections`), read for later questions: a rescan pages
/// through one input's frames, `find` loads the corpus of several jobs, and a detection or a
/// sighting can be named as a probe. Like its connection, used from one thread at a time.
public final class FootageRepository: @unchecked Sendable {
    /// The connection every statement runs on.
    public let connection: PostgresConnection

    /// A repository over a migrated connection.
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    static let detectionColumns = """
        d.frame_index, d.sample_ordinal, d.pts_us, d.detection_index, d.box_x, d.box_y, d.box_w, d.box_h, d.score,
        d.track_id, d.embedding
        """

    /// The detections of whole frames after `afterFrame` (all when nil), in frame and detection
    /// order: at most about `limit` rows, never a frame cut in two.
    public func frames(jobID: Int64, inputOrdinal: Int, afterFrame: Int64?, limit: Int) throws -> [DetectionRow] {
        let rows = try page(jobID: jobID, inputOrdinal: inputOrdinal, afterFrame: afterFrame, limit: limit + 1)
        guard rows.count > limit, let last = rows.last?.frameIndex else { return rows }
        let whole = rows.filter { $0.frameIndex != last }
        if !whole.isEmpty { return whole }
        // One frame holds more faces than a page: read that frame alone.
        return try page(jobID: jobID, inputOrdinal: inputOrdinal, afterFrame: afterFrame, limit: Int.max / 2)
            .filter { $0.frameIndex == last }
    }

    private func page(jobID: Int64, inputOrdinal: Int, afterFrame: Int64?, limit: Int) throws -> [DetectionRow] {
        try connection.execute("""
            SELECT \(Self.detectionColumns) FROM job_detections d
            WHERE d.job_id = $1 AND d.input_ordinal = $2 AND d.frame_index > $3
            ORDER BY d.frame_index, d.detection_index LIMIT $4
            """, [.int8(jobID), .int4(Int32(inputOrdinal)), .int8(afterFrame ?? -1), .int8(Int64(limit))],
                               resultFormat: .binary).rows.map { try Self.detection($0, from: 0) }
    }

    /// Where a corpus page starts: after this detection.
    public struct CorpusPosition: Sendable, Equatable {
        var jobID: Int64, inputOrdinal: Int32, frameIndex: Int64, detectionIndex: Int32
    }

    /// Up to `limit` stored detections of `jobIDs` after `position` (from the start when nil), in
    /// job, input, frame and detection order, with the position the next page starts from.
    public func corpus(jobIDs: [Int64], after position: CorpusPosition?, limit: Int) throws
        -> (detections: [StoredDetection], next: CorpusPosition?) {
        let p = position ?? CorpusPosition(jobID: -1, inputOrdinal: -1, frameIndex: -1, detectionIndex: -1)
        let rows = try connection.execute("""
            SELECT d.job_id, d.input_ordinal, \(Self.detectionColumns) FROM job_detections d
            WHERE d.job_id = ANY($1) AND (d.job_id, d.input_ordinal, d.frame_index, d.detection_index) > ($2, $3, $4, $5)
            ORDER BY d.job_id, d.input_ordinal, d.frame_index, d.detection_index LIMIT $6
            """, [.int8Array(jobIDs), .int8(p.jobID), .int4(p.inputOrdinal), .int8(p.frameIndex), .int4(p.detectionIndex),
                  .int8(Int64(limit))], resultFormat: .binary).rows.map { r in
            StoredDetection(jobID: try r.decode(0), inputOrdinal: try r.decode(1), detection: try Self.detection(r, from: 2))
        }
        let next = rows.last.map {
            CorpusPosition(jobID: $0.jobID, inputOrdinal: Int32($0.inputOrdinal), frameIndex: $0.detection.frameIndex,
                           detectionIndex: Int32($0.detection.detectionIndex))
        }
        return (rows, rows.count < limit ? nil : next)
    }

    /// How many detections `jobIDs` stored.
    public func count(jobIDs: [Int64]) throws -> Int {
        try connection.execute("SELECT count(*) FROM job_detections WHERE job_id = ANY($1)", [.int8Array(jobIDs)])
            .scalar(Int.self)
    }

    /// One stored detection, or nil.
    public func detection(jobID: Int64, inputOrdinal: Int, frameIndex: Int64, detectionIndex: Int) throws -> StoredDetection? {
        try connection.execute("""
            SELECT \(Self.detectionColumns) FROM job_detections d
            WHERE d.job_id = $1 AND d.input_ordinal = $2 AND d.frame_index = $3 AND d.detection_index = $4
            """, [.int8(jobID), .int4(Int32(inputOrdinal)), .int8(frameIndex), .int4(Int32(detectionIndex))],
                               resultFormat: .binary).rows.first.map {
            StoredDetection(jobID: jobID, inputOrdinal: inputOrdinal, detection: try Self.detection($0, from: 0))
        }
    }

    /// The face that speaks for a stored sighting of a job: its best hit's detection; nil when the
    /// job has no such sighting.
    public func bestDetection(jobID: Int64, sightingID: Int64) throws -> StoredDetection? {
        try connection.execute("""
            SELECT s.input_ordinal, \(Self.detectionColumns)
            FROM job_sightings s
            JOIN job_hits h ON h.job_id = s.job_id AND h.input_ordinal = s.input_ordinal AND h.frame_index = s.best_frame
                           AND h.identity_id = s.identity_id
            JOIN job_detections d ON d.job_id = h.job_id AND d.input_ordinal = h.input_ordinal
                                 AND d.frame_index = h.frame_index AND d.detection_index = h.detection_index
            WHERE s.job_id = $1 AND s.sighting_id = $2
            """, [.int8(jobID), .int8(sightingID)], resultFormat: .binary).rows.first.map {
            StoredDetection(jobID: jobID, inputOrdinal: try $0.decode(0), detection: try Self.detection($0, from: 1))
        }
    }

    static func detection(_ r: PostgresRow, from c: Int) throws -> DetectionRow {
        DetectionRow(frameIndex: try r.decode(c), sampleOrdinal: try r.decode(c + 1), ptsMicroseconds: try r.decode(c + 2),
                     detectionIndex: try r.decode(c + 3),
                     box: PixelBox(x: try r.decode(c + 4), y: try r.decode(c + 5), width: try r.decode(c + 6),
                                   height: try r.decode(c + 7)),
                     score: try r.decode(c + 8), trackID: try r.decode(c + 9), embedding: try r.decode(c + 10))
    }
}
