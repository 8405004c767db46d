import Foundation

/// How far one input has got: what the progress line and the periodic log line are made of.
public struct InputProgress: Sendable, Equatable {
    /// Name shown to the user (usually the file name).
    public var name: String
    /// Sampled frames searched so far.
    public var frames: Int64
    /// Faces found so far.
    public var faces: Int64
    /// Hits so far.
    public var hits: Int64
    /// Presentation time reached, microseconds (progress is measured in media time: frame counts
    /// of variable-frame-rate footage are not known in advance).
    public var reachedMicroseconds: Int64
    /// Media time this input covers (duration, or the sampling window), if known.
    public var totalMicroseconds: Int64?
    /// Media time already covered before this run started (a resumed input's checkpoint).
    public var resumedFromMicroseconds: Int64
    /// Wall seconds spent on this input in this run.
    public var elapsedSeconds: Double
    /// Sampled frames already searched before this run started (a resumed input's count).
    public var resumedFrames: Int64

    /// Creates a progress snapshot.
    public init(name: String, frames: Int64, faces: Int64, hits: Int64, reachedMicroseconds: Int64,
                totalMicroseconds: Int64?, resumedFromMicroseconds: Int64 = 0, elapsedSeconds: Double,
                resumedFrames: Int64 = 0) {
        self.name = name
        self.frames = frames
        self.faces = faces
        self.hits = hits
        self.reachedMicroseconds = reachedMicroseconds
        self.totalMicroseconds = totalMicroseconds
        self.resumedFromMicroseconds = resumedFromMicroseconds
        self.elapsedSeconds = elapsedSeconds
        self.resumedFrames = resumedFrames
    }

    /// Sampled frames searched in this run.
    public var framesThisRun: Int64 { max(0, frames - resumedFrames) }

    /// Fraction done, 0…1, when the total is known.
    public var fraction: Double? {
        guard let total = totalMicroseconds, total > 0 else { return nil }
        return min(1, max(0, Double(reachedMicroseconds) / Double(total)))
    }

    /// Sampled frames per wall second in this run (a resumed input's earlier frames do not count).
    public var framesPerSecond: Double { elapsedSeconds > 0 ? Double(framesThisRun) / elapsedSeconds : 0 }

    /// Seconds left at this run's pace of media time per wall second; nil until there is a pace.
    public var etaSeconds: Double? {
        guard let total = totalMicroseconds else { return nil }
        let covered = reachedMicroseconds - resumedFromMicroseconds
        guard covered > 0, elapsedSeconds > 0 else { return nil }
        return max(0, Double(total - reachedMicroseconds)) * elapsedSeconds / Double(covered)
    }
}
