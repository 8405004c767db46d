import Foundation
import Postgres
import Reports
import Store

/// A job's sightings with their review status, and every decision made (`facejob review JOB`).
public struct ReviewListing: Encodable, Sendable {
    /// One sighting.
    public struct Sighting: Encodable, Sendable {
        /// Its id within the job.
        public var sightingID: Int64
        /// Its input's position.
        public var inputOrdinal: Int
        /// Its track.
        public var trackID: Int64
        /// The identity it matched.
        public var identityID: Int64
        /// That identity's name.
        public var identity: String
        /// Its hits.
        public var hits: Int64
        /// The newest decision about it, if any.
        public var review: Decision?

        enum CodingKeys: String, CodingKey {
            case identity, hits, review
            case sightingID = "sighting_id", inputOrdinal = "input_ordinal", trackID = "track_id", identityID = "identity_id"
        }
    }

    /// One decision, as stored.
    public struct Decision: Encodable, Sendable {
        /// Row id.
        public var id: Int64
        /// `sighting/4` or `hit/0/4512/17`.
        public var target: String
        /// `confirmed` or `rejected`.
        public var decision: String
        /// Who decided.
        public var reviewer: String
        /// Why.
        public var reason: String?
        /// When (RFC 3339).
        public var decidedAt: String
        /// The audit row written with it.
        public var auditID: Int64

        enum CodingKeys: String, CodingKey {
            case id, target, decision, reviewer, reason
            case decidedAt = "decided_at", auditID = "audit_id"
        }

        /// A stored decision as listed.
        public init(_ r: Review) {
            self.init(id: r.id, target: r.target.description, decision: r.decision.rawValue, reviewer: r.reviewer,
                      reason: r.reason, decidedAt: ReviewStatuses.status(r).decidedAt, auditID: r.auditID)
        }

        init(id: Int64, target: String, decision: String, reviewer: String, reason: String?, decidedAt: String, auditID: Int64) {
            self.id = id
            self.target = target
            self.decision = decision
            self.reviewer = reviewer
            self.reason = reason
            self.decidedAt = decidedAt
            self.auditID = auditID
        }
    }

    /// The sightings, by id.
    public var sightings: [Sighting]
    /// Every decision, oldest first.
    public var decisions: [Decision]

    /// Reads the job's sightings and decisions.
    public static func read(jobID: Int64, connection: PostgresConnection) throws -> ReviewListing {
        let jobs = JobRepository(connection: connection)
        let history = try ReviewRepository(connection: connection).history(jobID: jobID)
        let names = Dictionary(try jobs.hits(jobID: jobID).map { ($0.hit.identityID, $0.hit.identityName) },
                               uniquingKeysWith: { a, _ in a })
        var current: [ReviewTarget: Review] = [:]
        for r in history { current[r.target] = r }
        func decision(_ r: Review) -> Decision { Decision(r) }
        let sightings = try jobs.sightings(jobID: jobID).map { s in
            Sighting(sightingID: s.id, inputOrdinal: s.inputOrdinal, trackID: s.trackID, identityID: s.identityID,
                     identity: names[s.identityID] ?? "identity \(s.identityID)", hits: s.count,
                     review: current[.sighting(s.id)].flatMap { r in
                         r.identityID == s.identityID && r.trackID == s.trackID ? decision(r) : nil
                     })
        }
        return ReviewListing(sightings: sightings, decisions: history.map(decision))
    }
}
