import Footage
import Foundation

/// What `facejob unknowns` (or a job's `unknowns` option, or the API) asks: which jobs' unmatched
/// tracks to group, how, and where the report goes.
public struct UnknownsRequest: Sendable {
    /// Job ids or names.
    public var jobs: [String] = []
    /// Every finished job instead of named ones (narrowed by `camera`, `from`, `to`).
    public var all = false
    /// Only inputs of this camera.
    public var camera: String?
    /// Only footage recorded at or after this time.
    public var from: Date?
    /// Only footage recorded at or before this time.
    public var to: Date?
    /// Link distance between two tracks (see `UnknownClustering`).
    public var threshold = Double(UnknownClustering.defaultThreshold)
    /// Faces averaged to represent a track: its best by detection score.
    public var bestFaces = 5
    /// Tracks with fewer faces are left out (a lone detection is more often noise than a person).
    public var minFaces = 2
    /// Report folder; nil: `unknowns` in the newest selected job's report folder.
    public var reportDirectory: String?
    /// Cut thumbnails (decodes the frames of the shown faces, after a SHA-256 check of the footage).
    public var thumbnails = true
    /// Who asks (for the audit row).
    public var actor: String

    /// A request by `actor`.
    public init(actor: String) {
        self.actor = actor
    }

    /// Rejects settings that cannot work.
    func validate() throws {
        guard threshold.isFinite, threshold > 0 else { throw UnknownsError.invalidSetting("threshold must be above 0, got \(threshold)") }
        guard bestFaces >= 1 else { throw UnknownsError.invalidSetting("best faces must be at least 1, got \(bestFaces)") }
        guard minFaces >= 1 else { throw UnknownsError.invalidSetting("min faces must be at least 1, got \(minFaces)") }
    }
}
