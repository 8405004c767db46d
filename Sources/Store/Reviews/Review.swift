import Foundation

/// What an analyst decided about a sighting or a single hit.
public enum ReviewDecision: String, Sendable, CaseIterable, Codable {
    /// The hit shows the identity.
    case confirmed
    /// It does not.
    case rejected
}

/// What a decision is about: a sighting of the job, or one hit (a face in one frame matching one
/// identity).
public enum ReviewTarget: Sendable, Hashable, CustomStringConvertible {
    /// A sighting, by its id within the job.
    case sighting(Int64)
    /// A hit: the input's position, the frame and the identity.
    case hit(inputOrdinal: Int, frameIndex: Int64, identityID: Int64)

    /// `sighting/4` or `hit/0/4512/17`: the audit subject below the job.
    public var description: String {
        switch self {
        case .sighting(let id): return "sighting/\(id)"
        case .hit(let input, let frame, let identity): return "hit/\(input)/\(frame)/\(identity)"
        }
    }

    /// `INPUT/FRAME/IDENTITY` as `facejob review --hit` takes it, or nil.
    public static func hit(_ text: String) -> ReviewTarget? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, let i = Int(parts[0]), let f = Int64(parts[1]), let id = Int64(parts[2]) else { return nil }
        return .hit(inputOrdinal: i, frameIndex: f, identityID: id)
    }
}

/// One stored decision.
public struct Review: Sendable, Equatable {
    /// Row id; a higher id supersedes a lower one about the same thing.
    public var id: Int64
    /// The job.
    public var jobID: Int64
    /// What it is about.
    public var target: ReviewTarget
    /// The sighting's (or hit's) identity and track when the decision was made: a decision is shown
    /// only while they still hold (a job run again may number its sightings differently).
    public var identityID: Int64
    /// Track at the time.
    public var trackID: Int64
    /// Input at the time.
    public var inputOrdinal: Int
    /// Confirmed or rejected.
    public var decision: ReviewDecision
    /// Why.
    public var reason: String?
    /// Who decided.
    public var reviewer: String
    /// When.
    public var decidedAt: Date
    /// The audit row written with it.
    public var auditID: Int64
}
