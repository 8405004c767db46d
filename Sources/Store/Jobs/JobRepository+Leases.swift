import Common
import Foundation
import Postgres

extension JobRepository {
    static let inputColumns = """
        job_id, ordinal, path, sha256, size_bytes, modified_ns, camera, recorded_at, status, error, lease_owner,
        checkpoint_ms, checkpoint_sample, next_track_id, frame_width, frame_height, duration_ms, frames_sampled,
        faces, hits, damaged_frames, seconds, recorded_at_source, gate_state
        """

    /// The inputs of a job in manifest order.
    public func inputs(jobID: Int64) throws -> [JobInputRecord] {
        try connection.execute("SELECT \(Self.inputColumns) FROM job_inputs WHERE job_id = $1 ORDER BY ordinal",
                               [.int8(jobID)]).rows.map(Self.decodeInput)
    }

    /// Claims one input to work on: a pending one, or a running one whose lease expired (its worker
    /// died; the new owner resumes from the checkpoint). `jobID` nil claims from any running job.
    /// Rows other workers are claiming right now are skipped (`FOR UPDATE SKIP LOCKED`), so two
    /// workers never get the same input.
    public func claimInput(jobID: Int64?, owner: String, leaseSeconds: Double) throws -> JobInputRecord? {
        let r = try connection.execute("""
            UPDATE job_inputs SET status = 'running', lease_owner = $2,
                lease_expires = now() + make_interval(secs => $3), heartbeat_at = now()
            WHERE (job_id, ordinal) = (
                SELECT i.job_id, i.ordinal FROM job_inputs i JOIN jobs j ON j.id = i.job_id
                WHERE ($1::bigint IS NULL OR i.job_id = $1) AND j.status = 'running'
                  AND (i.status = 'pending' OR (i.status = 'running' AND i.lease_expires < now()))
                ORDER BY i.job_id, i.ordinal
                LIMIT 1 FOR UPDATE OF i SKIP LOCKED)
            RETURNING \(Self.inputColumns)
            """, [jobID.map { .int8($0) } ?? .null, .text(owner), .float8(leaseSeconds)])
        return try r.rows.first.map(Self.decodeInput)
    }

    /// Extends the lease; false when it is no longer ours.
    public func heartbeat(jobID: Int64, ordinal: Int, owner: String, leaseSeconds: Double) throws -> Bool {
        try connection.execute("""
            UPDATE job_inputs SET lease_expires = now() + make_interval(secs => $4), heartbeat_at = now()
            WHERE job_id = $1 AND ordinal = $2 AND lease_owner = $3 AND status = 'running'
            """, [.int8(jobID), .int4(Int32(ordinal)), .text(owner), .float8(leaseSeconds)]).affectedRows == 1
    }

    /// Records the frame size and duration once the decoder knows them.
    public func describe(jobID: Int64, ordinal: Int, width: Int, height: Int, durationMs: Int64?) throws {
        try connection.execute("""
            UPDATE job_inputs SET frame_width = $3, frame_height = $4, duration_ms = $5 WHERE job_id = $1 AND ordinal = $2
            """, [.int8(jobID), .int4(Int32(ordinal)), .int4(Int32(width)), .int4(Int32(height)), PostgresValue(durationMs)])
    }

    /// Commits a batch: detections, hits and the new checkpoint in one transaction, and only while
    /// `batch.owner` still holds the lease (else `JobStoreError.leaseLost` and nothing is stored).
    /// Either all of it is stored or none, so a resumed input continues exactly after the last
    /// committed frame.
    public func commit(_ batch: JobBatch, leaseSeconds: Double) throws {
        try connection.transaction {
            // First: the row lock on the input serialises against a takeover, and proves the lease.
            let updated = try connection.execute("""
                UPDATE job_inputs SET checkpoint_ms = $4, checkpoint_sample = $5, next_track_id = $6,
                    frames_sampled = frames_sampled + $7, faces = faces + $8, hits = hits + $9,
                    damaged_frames = damaged_frames + $10, seconds = seconds + $11,
                    frame_width = $12, frame_height = $13, gate_state = $15,
                    lease_expires = now() + make_interval(secs => $14), heartbeat_at = now()
                WHERE job_id = $1 AND ordinal = $2 AND lease_owner = $3 AND status = 'running'
                  AND (checkpoint_sample IS NULL OR checkpoint_sample < $5)
                """, [.int8(batch.jobID), .int4(Int32(batch.inputOrdinal)), .text(batch.owner),
                      .int8(batch.checkpointMs), .int8(batch.checkpointSample), .int8(batch.nextTrackID),
                      .int8(batch.frames), .int8(Int64(batch.detections.count)), .int8(Int64(batch.hits.count)),
                      .int8(batch.damagedFrames), .float8(batch.seconds), .int4(Int32(batch.frameWidth)),
                      .int4(Int32(batch.frameHeight)), .float8(leaseSeconds), batch.gateState.map { .bytea($0) } ?? .null])
            guard updated.affectedRows == 1 else {
                throw JobStoreError.leaseLost(job: batch.jobID, input: batch.inputOrdinal, owner: batch.owner)
            }
            let job = PostgresValue.int8(batch.jobID), input = PostgresValue.int4(Int32(batch.inputOrdinal))
            if !batch.detections.isEmpty {
                try connection.copyIn("""
                    COPY job_detections (job_id, input_ordinal, frame_index, sample_ordinal, pts_us, detection_index,
                        box_x, box_y, box_w, box_h, score, track_id, embedding) FROM STDIN (FORMAT binary)
                    """) { w in
                    for d in batch.detections {
                        try w.append([job, input, .int8(d.frameIndex), .int8(d.sampleOrdinal), .int8(d.ptsMicroseconds),
                                      .int4(Int32(d.detectionIndex)), .float8(d.box.x), .float8(d.box.y),
                                      .float8(d.box.width), .float8(d.box.height), .float8(d.score), .int8(d.trackID),
                                      .float4Array(d.embedding)])
                    }
                }
            }
            if !batch.hits.isEmpty {
                try connection.copyIn("""
                    COPY job_hits (job_id, input_ordinal, frame_index, detection_index, identity_id, identity_name,
                        external_id, face_id, distance, similarity, rank, threshold, thumbnail) FROM STDIN (FORMAT binary)
                    """) { w in
                    for h in batch.hits {
                        try w.append([job, input, .int8(h.frameIndex), .int4(Int32(h.detectionIndex)), .int8(h.identityID),
                                      .text(h.identityName), PostgresValue(h.externalID), .int8(h.faceID),
                                      .float8(h.distance), .float8(h.similarity), .int4(Int32(h.rank)),
                                      .float8(h.threshold), PostgresValue(h.thumbnail)])
                    }
                }
            }
        }
    }

    /// Closes an input: done, partial or failed, with its error; releases the lease. Only the
    /// lease owner may do it (false otherwise).
    @discardableResult
    public func finishInput(jobID: Int64, ordinal: Int, owner: String, status: String, error: String?,
                            seconds: Double = 0) throws -> Bool {
        try connection.execute("""
            UPDATE job_inputs SET status = $4, error = $5, lease_owner = NULL, lease_expires = NULL,
                seconds = seconds + $6
            WHERE job_id = $1 AND ordinal = $2 AND lease_owner = $3 AND status = 'running'
            """, [.int8(jobID), .int4(Int32(ordinal)), .text(owner), .text(status), PostgresValue(error),
                  .float8(seconds)]).affectedRows == 1
    }

    /// Gives an input back without closing it: pending again, lease cleared, checkpoint and counts
    /// kept, so the next claim (by any worker) resumes it at once instead of after the lease
    /// expires. Only the lease owner may do it (false otherwise).
    @discardableResult
    public func releaseInput(jobID: Int64, ordinal: Int, owner: String) throws -> Bool {
        try connection.execute("""
            UPDATE job_inputs SET status = 'pending', lease_owner = NULL, lease_expires = NULL, heartbeat_at = NULL
            WHERE job_id = $1 AND ordinal = $2 AND lease_owner = $3 AND status = 'running'
            """, [.int8(jobID), .int4(Int32(ordinal)), .text(owner)]).affectedRows == 1
    }

    /// Committed detections of an input from sample ordinal `fromSample` on, in sample order: what
    /// the tracker needs to continue exactly where a previous run stopped.
    public func detections(jobID: Int64, ordinal: Int, fromSample: Int64) throws -> [DetectionRow] {
        try connection.execute("""
            SELECT frame_index, sample_ordinal, pts_us, detection_index, box_x, box_y, box_w, box_h, score, track_id, embedding
            FROM job_detections WHERE job_id = $1 AND input_ordinal = $2 AND sample_ordinal >= $3
            ORDER BY sample_ordinal, detection_index
            """, [.int8(jobID), .int4(Int32(ordinal)), .int8(fromSample)], resultFormat: .binary).rows.map { r in
            DetectionRow(frameIndex: try r.decode(0), sampleOrdinal: try r.decode(1), ptsMicroseconds: try r.decode(2),
                         detectionIndex: try r.decode(3),
                         box: PixelBox(x: try r.decode(4), y: try r.decode(5), width: try r.decode(6), height: try r.decode(7)),
                         score: try r.decode(8), trackID: try r.decode(9), embedding: try r.decode(10))
        }
    }

    static func decodeInput(_ r: PostgresRow) throws -> JobInputRecord {
        JobInputRecord(
            jobID: try r.decode(0), ordinal: try r.decode(1),
            file: NewJobInput(path: try r.decode(2), sha256: try r.decode(3), sizeBytes: try r.decode(4),
                              modifiedNanoseconds: try r.decode(5), camera: try r.decode(6), recordedAt: try r.decode(7),
                              recordedAtSource: try r.decode(22)),
            status: try r.decode(8), error: try r.decode(9), leaseOwner: try r.decode(10),
            checkpointMs: try r.decode(11), checkpointSample: try r.decode(12), nextTrackID: try r.decode(13),
            frameWidth: try r.decode(14), frameHeight: try r.decode(15), durationMs: try r.decode(16),
            framesSampled: try r.decode(17), faces: try r.decode(18), hits: try r.decode(19),
            damagedFrames: try r.decode(20), seconds: try r.decode(21), gateState: try r.decode(23))
    }
}

extension JobRepository {
    /// Ends leases held by processes of this host that no longer exist (`host:pid:…` owners whose
    /// pid `isAlive` denies), so a rerun right after a kill resumes at once instead of waiting for
    /// the lease to expire. Returns how many leases were ended.
    @discardableResult
    public func expireDeadLeases(jobID: Int64?, host: String, isAlive: (Int32) -> Bool) throws -> Int {
        let rows = try connection.execute("""
            SELECT job_id, ordinal, lease_owner FROM job_inputs
            WHERE ($1::bigint IS NULL OR job_id = $1) AND status = 'running' AND lease_owner LIKE $2
            """, [jobID.map { .int8($0) } ?? .null, .text(host + ":%")]).rows
        var ended = 0
        for r in rows {
            let owner = try r.decode(2, as: String.self)
            let parts = owner.split(separator: ":")
            guard parts.count >= 2, let pid = Int32(parts[1]), !isAlive(pid) else { continue }
            ended += try connection.execute("""
                UPDATE job_inputs SET lease_expires = now() - interval '1 second'
                WHERE job_id = $1 AND ordinal = $2 AND lease_owner = $3 AND status = 'running'
                """, [.int8(try r.decode(0)), .int4(try r.decode(1)), .text(owner)]).affectedRows
        }
        return ended
    }

    /// Whether any input of the job is still pending or running.
    public func hasOpenInputs(jobID: Int64) throws -> Bool {
        try connection.execute("""
            SELECT count(*) FROM job_inputs WHERE job_id = $1 AND status IN ('pending', 'running')
            """, [.int8(jobID)]).scalar(Int.self) > 0
    }
}
