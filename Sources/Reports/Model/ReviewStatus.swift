/// An analyst's newest decision about a sighting or a hit, as reports show it.
public struct ReviewStatus: Sendable, Equatable {
    /// `confirmed` or `rejected`.
    public var decision: String
    /// Who decided.
    public var reviewer: String
    /// When (RFC 3339).
    public var decidedAt: String
    /// Why, if said.
    public var reason: String?

    /// A status.
    public init(decision: String, reviewer: String, decidedAt: String, reason: String?) {
        self.decision = decision
        self.reviewer = reviewer
        self.decidedAt = decidedAt
        self.reason = reason
    }
}
