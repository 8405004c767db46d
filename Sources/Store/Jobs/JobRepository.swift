import Foundation
import Postgres

/// Job state in PostgreSQL: jobs, their inputs (status, error, lease, checkpoint) and what each
/// batch of frames produced. Like its connection, a repository is used from one thread at a time.
public final class JobRepository: @unchecked Sendable {
    /// The connection every statement runs on.
    public let connection: PostgresConnection

    /// A repository over a migrated connection.
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    static let jobColumns = """
        id, name, manifest_hash, manifest::text, base_dir, report_dir, status, runs, created_at, finished_at, models::text
        """

    /// The job with this name and manifest hash, created with its inputs when new. Returns whether
    /// it was created. Concurrent callers get the same job (the unique key decides).
    public func openJob(name: String, manifestHash: String, manifestJSON: String, baseDirectory: String,
                        reportDirectory: String, inputs: [NewJobInput]) throws -> (job: JobRecord, created: Bool) {
        try connection.transaction {
            let inserted = try connection.execute("""
                INSERT INTO jobs (name, manifest_hash, manifest, base_dir, report_dir)
                VALUES ($1, $2, $3::jsonb, $4, $5) ON CONFLICT (name, manifest_hash) DO NOTHING RETURNING id
                """, [.text(name), .text(manifestHash), .text(manifestJSON), .text(baseDirectory), .text(reportDirectory)])
            if inserted.rowCount == 1 {
                let id = try inserted[0].decode(0, as: Int64.self)
                try insertInputs(jobID: id, inputs)
                return (try job(id: id), true)
            }
            let existing = try connection.execute(
                "SELECT id FROM jobs WHERE name = $1 AND manifest_hash = $2", [.text(name), .text(manifestHash)])
            return (try job(id: try existing.scalar(Int64.self)), false)
        }
    }

    /// The job with this id.
    public func job(id: Int64) throws -> JobRecord {
        let r = try connection.execute("SELECT \(Self.jobColumns) FROM jobs WHERE id = $1", [.int8(id)])
        guard r.rowCount == 1 else { throw JobStoreError.unknownJob(String(id)) }
        return try Self.decodeJob(r[0])
    }

    /// The job a user names: a numeric id, or a name (the most recently created job of that name).
    public func job(named reference: String) throws -> JobRecord {
        if let id = Int64(reference), let found = try? job(id: id) { return found }
        let r = try connection.execute("""
            SELECT \(Self.jobColumns) FROM jobs WHERE name = $1 ORDER BY created_at DESC, id DESC LIMIT 1
            """, [.text(reference)])
        guard r.rowCount == 1 else { throw JobStoreError.unknownJob(reference) }
        return try Self.decodeJob(r[0])
    }

    /// All jobs, newest first.
    public func jobs(limit: Int = 1000) throws -> [JobRecord] {
        try connection.execute("SELECT \(Self.jobColumns) FROM jobs ORDER BY created_at DESC, id DESC LIMIT $1",
                               [.int8(Int64(limit))]).rows.map(Self.decodeJob)
    }

    /// Inserts a job's inputs, numbered in order from 0.
    private func insertInputs(jobID: Int64, _ inputs: [NewJobInput]) throws {
        for (n, input) in inputs.enumerated() {
            try connection.execute("""
                INSERT INTO job_inputs (job_id, ordinal, path, sha256, size_bytes, modified_ns, camera, recorded_at,
                    recorded_at_source)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, [.int8(jobID), .int4(Int32(n)), .text(input.path), .text(input.sha256), .int8(input.sizeBytes),
                      .int8(input.modifiedNanoseconds), PostgresValue(input.camera), PostgresValue(input.recordedAt),
                      PostgresValue(input.recordedAtSource)])
        }
    }

    /// Starts a run: the job becomes running and its run counter goes up. With `reset` (`--force`)
    /// every input starts over: detections, hits and sightings are deleted, checkpoints cleared.
    /// `replacingInputs` (with `reset`) also replaces the recorded footage by the footage as it is
    /// now (a glob's new matches, a file's new SHA-256), so the reports name what was searched.
    public func startRun(jobID: Int64, reset: Bool, modelsJSON: String, replacingInputs: [NewJobInput]? = nil) throws {
        try connection.transaction {
            if reset, let replacingInputs {
                try connection.execute("DELETE FROM job_sightings WHERE job_id = $1", [.int8(jobID)])
                // Detections and hits go with their inputs (ON DELETE CASCADE).
                try connection.execute("DELETE FROM job_inputs WHERE job_id = $1", [.int8(jobID)])
                try insertInputs(jobID: jobID, replacingInputs)
            } else if reset {
                try connection.execute("DELETE FROM job_detections WHERE job_id = $1", [.int8(jobID)])
                try connection.execute("DELETE FROM job_sightings WHERE job_id = $1", [.int8(jobID)])
                try connection.execute("""
                    UPDATE job_inputs SET status = 'pending', error = NULL, lease_owner = NULL, lease_expires = NULL,
                        heartbeat_at = NULL, checkpoint_ms = NULL, checkpoint_sample = NULL, gate_state = NULL, next_track_id = 1,
                        frames_sampled = 0, faces = 0, hits = 0, damaged_frames = 0, seconds = 0
                    WHERE job_id = $1
                    """, [.int8(jobID)])
            }
            try connection.execute("""
                UPDATE jobs SET status = 'running', runs = runs + 1, started_at = now(), finished_at = NULL,
                    models = $2::jsonb WHERE id = $1
                """, [.int8(jobID), .text(modelsJSON)])
        }
    }

    /// Re-opens failed inputs so a rerun tries them again (finished good inputs stay done).
    public func retryFailedInputs(jobID: Int64) throws {
        try connection.execute("""
            UPDATE job_inputs SET status = 'pending', error = NULL, lease_owner = NULL, lease_expires = NULL
            WHERE job_id = $1 AND status = 'failed'
            """, [.int8(jobID)])
    }

    /// Ends a run once no input is pending or running: the job's status follows its inputs
    /// (all done → done; some failed or partial → partial; all failed → failed). Returns the
    /// status, or nil when inputs are still open (another worker is on them).
    @discardableResult
    public func finishJobIfComplete(jobID: Int64) throws -> String? {
        try connection.transaction {
            try connection.execute("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", [.int8(jobID)])
            let statuses = try connection.execute("SELECT status FROM job_inputs WHERE job_id = $1", [.int8(jobID)])
                .rows.map { try $0.decode(0, as: String.self) }
            guard !statuses.contains(where: { $0 == "pending" || $0 == "running" }) else { return nil }
            let status: String
            if statuses.allSatisfy({ $0 == "done" }) {
                status = "done"
            } else if !statuses.isEmpty, statuses.allSatisfy({ $0 == "failed" }) {
                status = "failed"
            } else {
                status = "partial"
            }
            try connection.execute("UPDATE jobs SET status = $2, finished_at = now() WHERE id = $1",
                                   [.int8(jobID), .text(status)])
            return status
        }
    }

    static func decodeJob(_ row: PostgresRow) throws -> JobRecord {
        JobRecord(id: try row.decode(0), name: try row.decode(1), manifestHash: try row.decode(2),
                  manifestJSON: try row.decode(3), baseDirectory: try row.decode(4), reportDirectory: try row.decode(5),
                  status: try row.decode(6), runs: try row.decode(7), createdAt: try row.decode(8),
                  finishedAt: try row.decode(9), modelsJSON: try row.decode(10))
    }
}
