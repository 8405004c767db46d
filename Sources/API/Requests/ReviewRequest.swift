import Store

/// `PATCH /jobs/{id}/sightings/{sid}`: an analyst's decision about a sighting.
struct ReviewRequest: APIRequest {
    static let fields: Set<String> = ["decision", "reason"]
    let decision: ReviewDecision
    let reason: String?

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        let text = try fields.requiredString("decision")
        guard let decision = ReviewDecision(rawValue: text) else {
            throw APIError.badRequest("\"decision\" must be \"confirmed\" or \"rejected\", not \"\(text)\"")
        }
        self.decision = decision
        reason = try fields.string("reason")
    }
}
