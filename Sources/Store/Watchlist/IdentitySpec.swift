import Postgres

/// Who a registered image shows: the identity's display name (unique among a watchlist's live
/// identities), an optional external id (case number, warrant id) and free metadata.
public struct IdentitySpec: Sendable, Equatable, Hashable {
    /// Display name.
    public let name: String
    /// External reference, if any.
    public let externalID: String?
    /// Free key/value metadata, merged into the identity's JSON.
    public let metadata: [String: String]

    /// An identity specification.
    public init(name: String, externalID: String? = nil, metadata: [String: String] = [:]) {
        self.name = name
        self.externalID = externalID
        self.metadata = metadata
    }
}
