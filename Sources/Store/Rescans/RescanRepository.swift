import Foundation
import Postgres

/// Rescans in PostgreSQL: the rescan, its inputs with their checkpoints, and its hits. Like its
/// connection, a repository is used from one thread at a time.
public final class RescanRepository: @unchecked Sendable {
    /// The connection every statement runs on.
    public let connection: PostgresConnection

    /// A repository over a migrated connection.
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    static let columns = """
        id, rescan_key, watchlist_id, watchlist_name, watchlist_state::text, job_ids, settings::text, report_dir, status,
        runs, skipped::text, frames_decoded, created_at, finished_at
        """

    /// What a new rescan is made of.
    public struct Plan: Sendable {
        /// SHA-256 of what it searches.
        public var key: String
        /// The watchlist.
        public var watchlistID: Int64
        /// Its name.
        public var watchlistName: String
        /// Its state (JSON).
        public var watchlistStateJSON: String
        /// The jobs searched.
        public var jobIDs: [Int64]
        /// Settings (JSON object).
        public var settingsJSON: String
        /// Report folder.
        public var reportDirectory: String
        /// (job, input) pairs searched, in rescan order.
        public var inputs: [(jobID: Int64, inputOrdinal: Int)]
        /// Inputs left out, and why.
        public var skipped: [String]

        /// A plan.
        public init(key: String, watchlistID: Int64, watchlistName: String, watchlistStateJSON: String, jobIDs: [Int64],
                    settingsJSON: String, reportDirectory: String, inputs: [(jobID: Int64, inputOrdinal: Int)],
                    skipped: [String]) {
            self.key = key
            self.watchlistID = watchlistID
            self.watchlistName = watchlistName
            self.watchlistStateJSON = watchlistStateJSON
            self.jobIDs = jobIDs
            self.settingsJSON = settingsJSON
            self.reportDirectory = reportDirectory
            self.inputs = inputs
            self.skipped = skipped
        }
    }

    /// The rescan with the plan's key, created with its inputs when new; returns whether it was
    /// created. `reportDirectory` may hold `{id}`, replaced by the new rescan's id.
    public func open(_ plan: Plan) throws -> (rescan: RescanRecord, created: Bool) {
        try connection.transaction {
            let skipped = String(decoding: try JSONEncoder().encode(plan.skipped), as: UTF8.self)
            let inserted = try connection.execute("""
                INSERT INTO rescans (rescan_key, watchlist_id, watchlist_name, watchlist_state, job_ids, settings,
                    report_dir, skipped)
                VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8::jsonb)
                ON CONFLICT (rescan_key) DO NOTHING RETURNING id
                """, [.text(plan.key), .int8(plan.watchlistID), .text(plan.watchlistName), .text(plan.watchlistStateJSON),
                      .int8Array(plan.jobIDs), .text(plan.settingsJSON), .text(plan.reportDirectory), .text(skipped)])
            if inserted.rowCount == 1 {
                let id = try inserted[0].decode(0, as: Int64.self)
                try connection.execute("UPDATE rescans SET report_dir = replace(report_dir, '{id}', id::text) WHERE id = $1",
                                       [.int8(id)])
                for (n, input) in plan.inputs.enumerated() {
                    try connection.execute("""
                        INSERT INTO rescan_inputs (rescan_id, ordinal, job_id, input_ordinal) VALUES ($1, $2, $3, $4)
                        """, [.int8(id), .int4(Int32(n)), .int8(input.jobID), .int4(Int32(input.inputOrdinal))])
                }
                return (try rescan(id: id), true)
            }
            let existing = try connection.execute("SELECT id FROM rescans WHERE rescan_key = $1", [.text(plan.key)])
            return (try rescan(id: try existing.scalar(Int64.self)), false)
        }
    }

    /// The rescan with this id.
    public func rescan(id: Int64) throws -> RescanRecord {
        let r = try connection.execute("SELECT \(Self.columns) FROM rescans WHERE id = $1", [.int8(id)])
        guard r.rowCount == 1 else { throw RescanStoreError.unknownRescan("R\(id)") }
        return try Self.decode(r[0])
    }

    /// The rescan a user names: `R12` or `12`.
    public func rescan(named reference: String) throws -> RescanRecord {
        let digits = reference.hasPrefix("R") || reference.hasPrefix("r") ? String(reference.dropFirst()) : reference
        guard let id = Int64(digits) else { throw RescanStoreError.unknownRescan(reference) }
        return try rescan(id: id)
    }

    /// All rescans, newest first.
    public func rescans(limit: Int = 1000) throws -> [RescanRecord] {
        try connection.execute("SELECT \(Self.columns) FROM rescans ORDER BY id DESC LIMIT $1",
                               [.int8(Int64(limit))]).rows.map(Self.decode)
    }

    /// Starts a run: the rescan is running again and its run counter goes up. With `reset` every
    /// input starts over (hits deleted, checkpoints cleared).
    public func start(rescanID: Int64, reset: Bool) throws {
        try connection.transaction {
            try connection.execute("UPDATE rescans SET status = 'running', runs = runs + 1, finished_at = NULL WHERE id = $1",
                                   [.int8(rescanID)])
            if reset {
                try connection.execute("DELETE FROM rescan_hits WHERE rescan_id = $1", [.int8(rescanID)])
                try connection.execute("""
                    UPDATE rescan_inputs SET status = 'pending', checkpoint_frame = NULL, faces = 0, hits = 0, warning = NULL,
                        seconds = 0 WHERE rescan_id = $1
                    """, [.int8(rescanID)])
            }
        }
    }

    /// The rescan's inputs in rescan order.
    public func inputs(rescanID: Int64) throws -> [RescanInputRecord] {
        try connection.execute("""
            SELECT ordinal, job_id, input_ordinal, status, checkpoint_frame, faces, hits, warning, seconds
            FROM rescan_inputs WHERE rescan_id = $1 ORDER BY ordinal
            """, [.int8(rescanID)], resultFormat: .binary).rows.map { r in
            RescanInputRecord(ordinal: try r.decode(0), jobID: try r.decode(1), inputOrdinal: try r.decode(2),
                              status: try r.decode(3), checkpointFrame: try r.decode(4), faces: try r.decode(5),
                              hits: try r.decode(6), warning: try r.decode(7), seconds: try r.decode(8))
        }
    }

    /// Commits the hits of the frames up to `checkpointFrame` together with the checkpoint, so a
    /// resumed rescan neither repeats nor skips a frame. Refused (false) when the checkpoint is
    /// already at or past it (another run committed these frames).
    @discardableResult
    public func commit(rescanID: Int64, ordinal: Int, hits: [RescanHitRow], checkpointFrame: Int64, faces: Int,
                       seconds: Double) throws -> Bool {
        try connection.transaction {
            let updated = try connection.execute("""
                UPDATE rescan_inputs SET checkpoint_frame = $3, faces = faces + $4, hits = hits + $5, seconds = seconds + $6
                WHERE rescan_id = $1 AND ordinal = $2 AND status = 'pending'
                  AND (checkpoint_frame IS NULL OR checkpoint_frame < $3)
                """, [.int8(rescanID), .int4(Int32(ordinal)), .int8(checkpointFrame), .int8(Int64(faces)),
                      .int8(Int64(hits.count)), .float8(seconds)])
            guard updated.affectedRows == 1 else { return false }
            guard !hits.isEmpty else { return true }
            try connection.copyIn("""
                COPY rescan_hits (rescan_id, job_id, input_ordinal, frame_index, detection_index, identity_id, identity_name,
                    external_id, face_id, distance, similarity, rank, threshold, thumbnail) FROM STDIN (FORMAT binary)
                """) { w in
                for row in hits {
                    let h = row.hit
                    try w.append([.int8(rescanID), .int8(row.jobID), .int4(Int32(row.inputOrdinal)), .int8(h.frameIndex),
                                  .int4(Int32(h.detectionIndex)), .int8(h.identityID), .text(h.identityName),
                                  PostgresValue(h.externalID), .int8(h.faceID), .float8(h.distance), .float8(h.similarity),
                                  .int4(Int32(h.rank)), .float8(h.threshold), PostgresValue(h.thumbnail)])
                }
            }
            return true
        }
    }

    /// Every hit of the input was searched: thumbnails are next.
    public func markSearched(rescanID: Int64, ordinal: Int) throws {
        try connection.execute("UPDATE rescan_inputs SET status = 'searched' WHERE rescan_id = $1 AND ordinal = $2 AND status = 'pending'",
                               [.int8(rescanID), .int4(Int32(ordinal))])
    }

    /// Records the thumbnails cut for an input's hits and closes the input, in one transaction.
    public func finishInput(rescanID: Int64, ordinal: Int, thumbnails: [(frameIndex: Int64, detectionIndex: Int, path: String)],
                            warning: String?, framesDecoded: Int64, seconds: Double) throws {
        try connection.transaction {
            let input = try connection.execute("SELECT job_id, input_ordinal FROM rescan_inputs WHERE rescan_id = $1 AND ordinal = $2",
                                               [.int8(rescanID), .int4(Int32(ordinal))])
            guard input.rowCount == 1 else { return }
            let job = try input[0].decode(0, as: Int64.self), source = try input[0].decode(1, as: Int32.self)
            if !thumbnails.isEmpty {
                try connection.execute("""
                    UPDATE rescan_hits h SET thumbnail = t.path
                    FROM unnest($4::bigint[], $5::integer[], $6::text[]) AS t(frame_index, detection_index, path)
                    WHERE h.rescan_id = $1 AND h.job_id = $2 AND h.input_ordinal = $3
                      AND h.frame_index = t.frame_index AND h.detection_index = t.detection_index
                    """, [.int8(rescanID), .int8(job), .int4(source), .int8Array(thumbnails.map(\.frameIndex)),
                          .int4Array(thumbnails.map { Int32($0.detectionIndex) }), .textArray(thumbnails.map(\.path))])
            }
            try connection.execute("""
                UPDATE rescan_inputs SET status = $3, warning = $4, seconds = seconds + $5 WHERE rescan_id = $1 AND ordinal = $2
                """, [.int8(rescanID), .int4(Int32(ordinal)), .text(warning == nil ? "done" : "partial"),
                      PostgresValue(warning), .float8(seconds)])
            try connection.execute("UPDATE rescans SET frames_decoded = frames_decoded + $2 WHERE id = $1",
                                   [.int8(rescanID), .int8(framesDecoded)])
        }
    }

    /// Closes the rescan: `partial` when an input's footage had changed or gone, else `done`.
    public func finish(rescanID: Int64) throws -> String {
        try connection.execute("""
            UPDATE rescans SET finished_at = now(), status = CASE WHEN EXISTS (
                SELECT 1 FROM rescan_inputs WHERE rescan_id = $1 AND status = 'partial') THEN 'partial' ELSE 'done' END
            WHERE id = $1 RETURNING status
            """, [.int8(rescanID)]).scalar(String.self)
    }

    /// Every hit of the rescan (or of one of its inputs, `ordinal`) with its stored detection, in
    /// input, time, detection and rank order.
    public func hits(rescanID: Int64, ordinal: Int? = nil) throws -> [(jobID: Int64, hit: StoredHit)] {
        try connection.execute("""
            SELECT d.input_ordinal, d.frame_index, d.sample_ordinal, d.pts_us, d.detection_index, d.box_x, d.box_y,
                   d.box_w, d.box_h, d.score, d.track_id, h.identity_id, h.identity_name, h.external_id, h.face_id,
                   h.distance, h.similarity, h.rank, h.threshold, h.thumbnail, h.job_id
            FROM rescan_hits h JOIN job_detections d USING (job_id, input_ordinal, frame_index, detection_index)
            JOIN rescan_inputs i ON i.rescan_id = h.rescan_id AND i.job_id = h.job_id AND i.input_ordinal = h.input_ordinal
            WHERE h.rescan_id = $1 AND ($2::integer IS NULL OR i.ordinal = $2)
            ORDER BY i.ordinal, d.pts_us, d.frame_index, d.detection_index, h.rank, h.identity_id
            """, [.int8(rescanID), ordinal.map { .int4(Int32($0)) } ?? .null], resultFormat: .binary).rows.map { r in
            (try r.decode(20), try StoredHit(row: r))
        }
    }

    static func decode(_ r: PostgresRow) throws -> RescanRecord {
        RescanRecord(id: try r.decode(0), key: try r.decode(1), watchlistID: try r.decode(2), watchlistName: try r.decode(3),
                     watchlistStateJSON: try r.decode(4), jobIDs: try r.decode(5), settingsJSON: try r.decode(6),
                     reportDirectory: try r.decode(7), status: try r.decode(8), runs: try r.decode(9),
                     skippedJSON: try r.decode(10), framesDecoded: try r.decode(11), createdAt: try r.decode(12),
                     finishedAt: try r.decode(13))
    }
}
