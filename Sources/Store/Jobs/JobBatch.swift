import Common
import Foundation
import Postgres

/// A face found in a sampled frame, as committed with its batch.
public struct DetectionRow: Sendable, Equatable {
    /// Frame index in the input.
    public var frameIndex: Int64
    /// Position among the input's sampled frames.
    public var sampleOrdinal: Int64
    /// Presentation time in microseconds.
    public var ptsMicroseconds: Int64
    /// The face's index within its frame.
    public var detectionIndex: Int
    /// Box in frame pixels: x, y, width, height.
    public var box: PixelBox
    /// Detector score.
    public var score: Double
    /// Track the face was assigned to.
    public var trackID: Int64
    /// The face's embedding.
    public var embedding: [Float]

    /// Creates a detection row.
    public init(frameIndex: Int64, sampleOrdinal: Int64, ptsMicroseconds: Int64, detectionIndex: Int,
                box: PixelBox, score: Double, trackID: Int64, embedding: [Float]) {
        self.frameIndex = frameIndex
        self.sampleOrdinal = sampleOrdinal
        self.ptsMicroseconds = ptsMicroseconds
        self.detectionIndex = detectionIndex
        self.box = box
        self.score = score
        self.trackID = trackID
        self.embedding = embedding
    }

    public static func == (a: DetectionRow, b: DetectionRow) -> Bool {
        a.frameIndex == b.frameIndex && a.sampleOrdinal == b.sampleOrdinal && a.ptsMicroseconds == b.ptsMicroseconds
            && a.detectionIndex == b.detectionIndex && a.box == b.box && a.score == b.score
            && a.trackID == b.trackID && a.embedding == b.embedding
    }
}

/// A watchlist match of a detected face, as committed with its batch.
public struct HitRow: Sendable, Equatable {
    /// Frame index of the face.
    public var frameIndex: Int64
    /// The face's index within its frame.
    public var detectionIndex: Int
    /// Identity matched.
    public var identityID: Int64
    /// Identity name at the time of the match.
    public var identityName: String
    /// Identity external id.
    public var externalID: String?
    /// Enrolled face matched.
    public var faceID: Int64
    /// Embedding distance.
    public var distance: Double
    /// Cosine similarity.
    public var similarity: Double
    /// Rank among the face's candidates.
    public var rank: Int
    /// Threshold the match passed.
    public var threshold: Double
    /// Thumbnail path relative to the report folder.
    public var thumbnail: String?

    /// Creates a hit row.
    public init(frameIndex: Int64, detectionIndex: Int, identityID: Int64, identityName: String, externalID: String?,
                faceID: Int64, distance: Double, similarity: Double, rank: Int, threshold: Double, thumbnail: String?) {
        self.frameIndex = frameIndex
        self.detectionIndex = detectionIndex
        self.identityID = identityID
        self.identityName = identityName
        self.externalID = externalID
        self.faceID = faceID
        self.distance = distance
        self.similarity = similarity
        self.rank = rank
        self.threshold = threshold
        self.thumbnail = thumbnail
    }
}

/// Everything one batch of sampled frames produced, committed in one transaction with the
/// checkpoint that says those frames are done.
public struct JobBatch: Sendable, Equatable {
    /// The job.
    public var jobID: Int64
    /// The input.
    public var inputOrdinal: Int
    /// The worker that must still hold the lease.
    public var owner: String
    /// Faces of the batch's frames.
    public var detections: [DetectionRow]
    /// Hits of those faces.
    public var hits: [HitRow]
    /// Presentation time (ms) of the batch's last sampled frame.
    public var checkpointMs: Int64
    /// Sample ordinal of the batch's last sampled frame.
    public var checkpointSample: Int64
    /// The tracker's next track id after the batch.
    public var nextTrackID: Int64
    /// Sampled frames in the batch.
    public var frames: Int64
    /// Damaged frames in the batch.
    public var damagedFrames: Int64
    /// Decoded frame size.
    public var frameWidth: Int
    /// Decoded frame size.
    public var frameHeight: Int
    /// Processing seconds spent on the batch.
    public var seconds: Double
    /// The motion gate's state after the batch's last frame (nil without a gate).
    public var gateState: Data?

    /// Creates a batch.
    public init(jobID: Int64, inputOrdinal: Int, owner: String, detections: [DetectionRow], hits: [HitRow],
                checkpointMs: Int64, checkpointSample: Int64, nextTrackID: Int64, frames: Int64, damagedFrames: Int64,
                frameWidth: Int, frameHeight: Int, seconds: Double, gateState: Data? = nil) {
        self.jobID = jobID
        self.inputOrdinal = inputOrdinal
        self.owner = owner
        self.detections = detections
        self.hits = hits
        self.checkpointMs = checkpointMs
        self.checkpointSample = checkpointSample
        self.nextTrackID = nextTrackID
        self.frames = frames
        self.damagedFrames = damagedFrames
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.seconds = seconds
        self.gateState = gateState
    }
}
