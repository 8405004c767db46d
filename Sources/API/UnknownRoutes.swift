import Foundation
import Jobs
import Store

/// The routes over unknown persons: list them (the `facejob unknowns list` view) and promote one
/// into a watchlist (`facejob watchlist promote`).
extension APIService {
    /// `GET /unknowns?job=&camera=&min_sightings=`: persons in the report's order.
    func listUnknowns(jobs references: [String], camera: String?, minSightings: Int) async throws -> UnknownsListResponse {
        try await pool.run { [self] in
            try database.withConnection { connection in
                let jobs = JobRepository(connection: connection)
                let ids = references.isEmpty ? nil : try references.map { try jobs.job(named: $0).id }
                let persons = try UnknownsListing.read(jobIDs: ids, minSightings: minSightings, camera: camera,
                                                       connection: connection)
                return UnknownsListResponse(persons: persons)
            }
        }
    }

    /// `POST /unknowns/{id}/promote`.
    func promoteUnknown(_ person: String, _ request: PromoteUnknownRequest) async throws -> UnknownPromotion.Result {
        let actor = self.actor
        return try await pool.run { [self] in
            try database.withConnection { connection in
                try UnknownPromotion.promote(person, watchlist: request.watchlist, identity: request.identity,
                                             externalID: request.externalID, faces: request.faces, actor: actor,
                                             connection: connection)
            }
        }
    }
}

/// `GET /unknowns`.
struct UnknownsListResponse: Encodable, Sendable {
    /// Persons, most cameras first, then most sightings.
    let persons: [UnknownsListing]
}
