import Foundation
import Jobs
import Store

/// An analyst's decision over the API (`facejob review`).
extension APIService {
    /// `PATCH /jobs/{id}/sightings/{sid}`: records the decision (audited) and answers the job's
    /// review state for that sighting. The reviewer is the server's token holder (`api:user@host`).
    func review(job: String, sighting: String, _ request: ReviewRequest) async throws -> ReviewListing.Decision {
        guard let sightingID = Int64(sighting) else { throw APIError(.notFound, "no sighting \(sighting)") }
        let actor = self.actor
        return try await pool.run { [self] in
            try database.withConnection { connection in
                let record = try JobRepository(connection: connection).job(named: job)
                let review = try ReviewRepository(connection: connection).decide(
                    jobID: record.id, target: .sighting(sightingID), decision: request.decision, reason: request.reason,
                    reviewer: actor)
                return ReviewListing.Decision(review)
            }
        }
    }
}
