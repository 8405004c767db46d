import Jobs

/// `POST /unknowns/{id}/promote`: the watchlist and identity an unknown person becomes.
struct PromoteUnknownRequest: APIRequest {
    static let fields: Set<String> = ["watchlist", "identity", "external_id", "faces"]
    let watchlist: String
    let identity: String
    let externalID: String?
    let faces: Int

    init(_ fields: RequestFields, roots: AllowedRoots) throws {
        watchlist = try fields.requiredString("watchlist")
        identity = try fields.requiredString("identity")
        guard !identity.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest("\"identity\" must not be empty")
        }
        externalID = try fields.string("external_id")
        faces = try fields.int("faces", default: UnknownPromotion.defaultFaces, range: 1...100)
    }
}
