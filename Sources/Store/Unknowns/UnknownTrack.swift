import Common

/// A track no identity matched, as clustering sees it and as a person holds it: where it was
/// seen, its best face, and the mean of its best faces' embeddings, which stands for it.
public struct UnknownTrack: Sendable, Equatable {
    /// The job.
    public var jobID: Int64
    /// The input's position in the job.
    public var inputOrdinal: Int
    /// The track's id within the input.
    public var trackID: Int64
    /// The mean embedding of the track's best faces.
    public var representative: [Float]
    /// Faces the track holds.
    public var faces: Int
    /// First and last presentation time, microseconds from the input's start.
    public var firstMicroseconds: Int64
    /// Last presentation time.
    public var lastMicroseconds: Int64
    /// The frame of the track's best face (highest detection score).
    public var bestFrame: Int64
    /// Its presentation time, microseconds.
    public var bestMicroseconds: Int64
    /// That face's index in its frame.
    public var bestDetection: Int
    /// Its detection score.
    public var bestScore: Double
    /// Its box in frame pixels.
    public var bestBox: PixelBox
    /// Placed by an analyst (merge, split): clustering never moves it.
    public var pinned: Bool = false

    /// A track.
    public init(jobID: Int64, inputOrdinal: Int, trackID: Int64, representative: [Float], faces: Int,
                firstMicroseconds: Int64, lastMicroseconds: Int64, bestFrame: Int64, bestMicroseconds: Int64, bestDetection: Int,
                bestScore: Double, bestBox: PixelBox, pinned: Bool = false) {
        self.jobID = jobID
        self.inputOrdinal = inputOrdinal
        self.trackID = trackID
        self.representative = representative
        self.faces = faces
        self.firstMicroseconds = firstMicroseconds
        self.lastMicroseconds = lastMicroseconds
        self.bestFrame = bestFrame
        self.bestMicroseconds = bestMicroseconds
        self.bestDetection = bestDetection
        self.bestScore = bestScore
        self.bestBox = bestBox
        self.pinned = pinned
    }

    /// The best face as a stored detection (no embedding), for cutting its thumbnail.
    public var bestFace: DetectionRow {
        DetectionRow(frameIndex: bestFrame, sampleOrdinal: 0, ptsMicroseconds: bestMicroseconds, detectionIndex: bestDetection,
                     box: bestBox, score: bestScore, trackID: trackID, embedding: [])
    }

    /// `JOB/INPUT/TRACK`, the reference `facejob unknowns split --track` takes.
    public var reference: String { "\(jobID)/\(inputOrdinal)/\(trackID)" }

    /// The key of a track reference, or nil if `text` is not `JOB/INPUT/TRACK`.
    public static func key(_ text: String) -> (jobID: Int64, inputOrdinal: Int, trackID: Int64)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, let j = Int64(parts[0]), let i = Int(parts[1]), let t = Int64(parts[2]) else { return nil }
        return (j, i, t)
    }
}
