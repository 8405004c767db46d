import Common
/// One hit: a face in one frame of one input that matched one watchlist identity under the threshold.
public struct HitRecord: Sendable, Equatable {
    /// The manifest's job name.
    public var jobName: String
    /// The job's id in the database.
    public var jobID: String
    /// Absolute path of the input file.
    public var inputPath: String
    /// SHA-256 of the input file.
    public var inputSHA256: String
    /// Camera id from the manifest, if any.
    public var camera: String?
    /// Recording start from the manifest; when set, the hit gets a wall-clock time.
    public var recordedAt: RecordingStart?
    /// Index of the decoded frame in the input (0-based, decode order of the video stream).
    public var frameIndex: Int64
    /// Presentation time of the frame in microseconds (pts × time_base, rounded once).
    public var ptsMicroseconds: Int64
    /// Decoded frame width in pixels.
    public var frameWidth: Int
    /// Decoded frame height in pixels.
    public var frameHeight: Int
    /// Face box in pixels.
    public var box: PixelBox
    /// Detector confidence (MTCNN O-Net probability).
    public var detectionScore: Double
    /// Identity id in the watchlist.
    public var identityID: Int64
    /// Identity display name.
    public var identityName: String
    /// Identity's external reference (case number, warrant id), if any.
    public var externalID: String?
    /// Embedding distance to the identity's nearest enrolled face.
    public var distance: Double
    /// Similarity as the search reports it (higher is more alike).
    public var similarity: Double
    /// Rank of this identity among the face's candidates (1 = nearest).
    public var rank: Int
    /// Decision threshold the distance was compared with.
    public var threshold: Double
    /// Track id within the input.
    public var trackID: Int64
    /// Sighting id within the job; nil until sightings are built.
    public var sightingID: Int64?
    /// Thumbnail path relative to the report directory, if thumbnails were written.
    public var thumbnailPath: String?
    /// Embedding model name.
    public var modelName: String
    /// SHA-256 of the embedding model's weights file.
    public var modelSHA256: String
    /// The analyst's newest decision about this hit (its own, else its sighting's); nil: not reviewed.
    public var review: ReviewStatus? = nil

    /// Creates a hit.
    public init(jobName: String, jobID: String, inputPath: String, inputSHA256: String, camera: String?,
                recordedAt: RecordingStart?, frameIndex: Int64, ptsMicroseconds: Int64,
                frameWidth: Int, frameHeight: Int, box: PixelBox, detectionScore: Double,
                identityID: Int64, identityName: String, externalID: String?, distance: Double,
                similarity: Double, rank: Int, threshold: Double, trackID: Int64, sightingID: Int64?,
                thumbnailPath: String?, modelName: String, modelSHA256: String) {
        self.jobName = jobName
        self.jobID = jobID
        self.inputPath = inputPath
        self.inputSHA256 = inputSHA256
        self.camera = camera
        self.recordedAt = recordedAt
        self.frameIndex = frameIndex
        self.ptsMicroseconds = ptsMicroseconds
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.box = box
        self.detectionScore = detectionScore
        self.identityID = identityID
        self.identityName = identityName
        self.externalID = externalID
        self.distance = distance
        self.similarity = similarity
        self.rank = rank
        self.threshold = threshold
        self.trackID = trackID
        self.sightingID = sightingID
        self.thumbnailPath = thumbnailPath
        self.modelName = modelName
        self.modelSHA256 = modelSHA256
    }

    /// Wall-clock time of the frame (start + pts, ISO 8601 with ms), when the start is known.
    public var wallClock: String? { recordedAt?.wallClock(atMicroseconds: ptsMicroseconds) }

    /// Total order used by every writer: input, time, frame, track, rank, identity.
    static func precedes(_ a: HitRecord, _ b: HitRecord) -> Bool {
        if a.inputPath != b.inputPath { return a.inputPath.utf8.lexicographicallyPrecedes(b.inputPath.utf8) }
        if a.ptsMicroseconds != b.ptsMicroseconds { return a.ptsMicroseconds < b.ptsMicroseconds }
        if a.frameIndex != b.frameIndex { return a.frameIndex < b.frameIndex }
        if a.trackID != b.trackID { return a.trackID < b.trackID }
        if a.rank != b.rank { return a.rank < b.rank }
        if a.identityID != b.identityID { return a.identityID < b.identityID }
        return (a.box.x, a.box.y) < (b.box.x, b.box.y)
    }
}
