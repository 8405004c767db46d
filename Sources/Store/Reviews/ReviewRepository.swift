import Foundation
import Postgres

/// Analysts' decisions about a job's hits (`reviews`), each written with an audit row in one
/// transaction, never updated or deleted: the newest decision about a sighting or a hit is its
/// status, and the older ones stay as its history. Used from one thread at a time.
public final class ReviewRepository: @unchecked Sendable {
    /// The connection every statement runs on.
    public let connection: PostgresConnection

    /// A repository over a migrated connection.
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Records `decision` about `target` of job `jobID` by `reviewer`, with an audit row
    /// (`review.confirmed` or `review.rejected`, naming the decision it supersedes). Throws
    /// `noSuchSighting` / `noSuchHit` when the job has no such thing.
    @discardableResult
    public func decide(jobID: Int64, target: ReviewTarget, decision: ReviewDecision, reason: String?,
                       reviewer: String) throws -> Review {
        guard !reviewer.trimmingCharacters(in: .whitespaces).isEmpty else { throw ReviewStoreError.noReviewer }
        return try connection.transaction {
            let (input, identity, track) = try subject(jobID: jobID, target: target)
            let previous = try current(jobID: jobID)[target]
            var details: [String: Any] = ["decision": decision.rawValue, "reason": reason ?? "", "reviewer": reviewer,
                                          "identity_id": identity, "track_id": track, "input_ordinal": input]
            if let previous { details["supersedes"] = ["review_id": previous.id, "decision": previous.decision.rawValue] }
            let auditID = try AuditLog(connection: connection).append(
                actor: reviewer, action: "review.\(decision.rawValue)", subject: "job/\(jobID)/\(target)", details: details)
            var sighting: Int64?, frame: Int64?
            switch target {
            case .sighting(let id): sighting = id
            case .hit(_, let f, _): frame = f
            }
            let row = try connection.execute("""
                INSERT INTO reviews (job_id, sighting_id, input_ordinal, frame_index, identity_id, track_id, decision, reason,
                                     reviewer, audit_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, decided_at
                """, [.int8(jobID), sighting.map { .int8($0) } ?? .null, .int4(Int32(input)), frame.map { .int8($0) } ?? .null,
                      .int8(identity), .int8(track), .text(decision.rawValue), reason.map { .text($0) } ?? .null,
                      .text(reviewer), .int8(auditID)])[0]
            return Review(id: try row.decode(0), jobID: jobID, target: target, identityID: identity, trackID: track,
                          inputOrdinal: input, decision: decision, reason: reason, reviewer: reviewer,
                          decidedAt: try row.decode(1), auditID: auditID)
        }
    }

    /// Every decision about the job, oldest first.
    public func history(jobID: Int64) throws -> [Review] {
        try connection.execute("""
            SELECT id, sighting_id, input_ordinal, frame_index, identity_id, track_id, decision, reason, reviewer, decided_at,
                   audit_id
            FROM reviews WHERE job_id = $1 ORDER BY id
            """, [.int8(jobID)]).rows.map { r in
            let sighting: Int64? = try r.decode(1), frame: Int64? = try r.decode(3)
            let input: Int = try r.decode(2), identity: Int64 = try r.decode(4)
            let target: ReviewTarget = sighting.map { .sighting($0) }
                ?? .hit(inputOrdinal: input, frameIndex: frame ?? -1, identityID: identity)
            return Review(id: try r.decode(0), jobID: jobID, target: target, identityID: identity, trackID: try r.decode(5),
                          inputOrdinal: input, decision: ReviewDecision(rawValue: try r.decode(6)) ?? .rejected,
                          reason: try r.decode(7), reviewer: try r.decode(8), decidedAt: try r.decode(9),
                          auditID: try r.decode(10))
        }
    }

    /// The newest decision about each sighting and each hit of the job.
    public func current(jobID: Int64) throws -> [ReviewTarget: Review] {
        var out: [ReviewTarget: Review] = [:]
        for review in try history(jobID: jobID) { out[review.target] = review }
        return out
    }

    /// The input, identity and track of what a decision is about, checked against the job.
    private func subject(jobID: Int64, target: ReviewTarget) throws -> (Int, Int64, Int64) {
        switch target {
        case .sighting(let id):
            let rows = try connection.execute("""
                SELECT input_ordinal, identity_id, track_id FROM job_sightings WHERE job_id = $1 AND sighting_id = $2
                """, [.int8(jobID), .int8(id)]).rows
            guard let r = rows.first else { throw ReviewStoreError.noSuchSighting(job: jobID, sighting: id) }
            return (try r.decode(0), try r.decode(1), try r.decode(2))
        case .hit(let input, let frame, let identity):
            let rows = try connection.execute("""
                SELECT d.track_id FROM job_hits h
                JOIN job_detections d USING (job_id, input_ordinal, frame_index, detection_index)
                WHERE h.job_id = $1 AND h.input_ordinal = $2 AND h.frame_index = $3 AND h.identity_id = $4
                """, [.int8(jobID), .int4(Int32(input)), .int8(frame), .int8(identity)]).rows
            guard let r = rows.first else { throw ReviewStoreError.noSuchHit(job: jobID, hit: "\(input)/\(frame)/\(identity)") }
            return (input, identity, try r.decode(0))
        }
    }
}
