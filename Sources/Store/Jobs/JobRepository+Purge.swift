import Common
import Foundation
import Postgres

/// What a purge deleted.
public struct PurgeReport: Sendable, Equatable {
    /// One purged job.
    public struct Job: Sendable, Equatable {
        /// Its id.
        public var id: Int64
        /// Its name.
        public var name: String
        /// Its report folder (thumbnails there are faces too: `facejob jobs purge` deletes them).
        public var reportDirectory: String
        /// Stored faces deleted.
        public var detections: Int64
        /// Hits deleted.
        public var hits: Int64
        /// The audit row recording the purge.
        public var auditID: Int64
    }

    /// The jobs purged, by id.
    public var jobs: [Job]
    /// Report folders of rescans that searched a purged job (deleted with it).
    public var rescanDirectories: [String]
}

extension JobRepository {
    /// Finished jobs that finished before `cutoff`, oldest first.
    public func finishedJobs(before cutoff: Date) throws -> [JobRecord] {
        try connection.execute("""
            SELECT \(Self.jobColumns) FROM jobs WHERE status IN ('done', 'partial', 'failed') AND finished_at < $1
            ORDER BY finished_at, id
            """, [.timestamptz(cutoff)]).rows.map(Self.decodeJob)
    }

    /// Deletes jobs with everything they stored (inputs, detections, hits, sightings), and the
    /// rescans that searched them, one audit row per job, all in one transaction. A job that is
    /// still running is refused (its workers would go on committing): `JobPurgeError.running`.
    public func purge(jobIDs: [Int64], actor: String, reason: String?) throws -> PurgeReport {
        try connection.transaction {
            var purged: [PurgeReport.Job] = []
            for id in Set(jobIDs).sorted() {
                let found = try connection.execute("SELECT name, status, report_dir FROM jobs WHERE id = $1 FOR UPDATE",
                                                   [.int8(id)])
                guard found.rowCount == 1 else { throw JobStoreError.unknownJob(String(id)) }
                let name = try found[0].decode(0, as: String.self), status = try found[0].decode(1, as: String.self)
                guard status != "running" else { throw JobPurgeError.running(job: id, name: name) }
                let counts = try connection.execute("""
                    SELECT (SELECT count(*) FROM job_detections WHERE job_id = $1), (SELECT count(*) FROM job_hits WHERE job_id = $1),
                           (SELECT count(*) FROM job_inputs WHERE job_id = $1), (SELECT manifest_hash FROM jobs WHERE id = $1)
                    """, [.int8(id)])[0]
                let detections = try counts.decode(0, as: Int64.self), hits = try counts.decode(1, as: Int64.self)
                let auditID = try AuditLog(connection: connection).append(
                    actor: actor, action: "job.purge", subject: "job/\(id)",
                    details: ["job": name, "manifest_sha256": try counts.decode(3, as: String.self),
                              "inputs": try counts.decode(2, as: Int64.self), "detections": detections, "hits": hits,
                              "reason": JSONText.optional(reason)])
                purged.append(PurgeReport.Job(id: id, name: name, reportDirectory: try found[0].decode(2),
                                              detections: detections, hits: hits, auditID: auditID))
            }
            let ids = purged.map(\.id)
            let rescans = try connection.execute("DELETE FROM rescans WHERE job_ids && $1 RETURNING report_dir",
                                                 [.int8Array(ids)]).rows.map { try $0.decode(0, as: String.self) }
            try connection.execute("DELETE FROM job_sightings WHERE job_id = ANY($1)", [.int8Array(ids)])
            try connection.execute("DELETE FROM jobs WHERE id = ANY($1)", [.int8Array(ids)])
            return PurgeReport(jobs: purged, rescanDirectories: rescans)
        }
    }
}

/// Why a purge was refused.
public enum JobPurgeError: UserFacingError, Equatable {
    /// The job is still running.
    case running(job: Int64, name: String)

    public var description: String {
        switch self {
        case .running(let job, let name):
            return "job \(job) \"\(name)\" is still running: purge it once it has finished (nothing was deleted)"
        }
    }

    public var exitStatus: ExitStatus { .usage }
}
