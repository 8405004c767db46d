/// One sighting: the hits of one track for one identity, with first/last seen and the best frame.
public struct SightingRecord: Sendable, Equatable {
    /// Sighting id within the job.
    public var sightingID: Int64
    /// Absolute path of the input file.
    public var inputPath: String
    /// SHA-256 of the input file.
    public var inputSHA256: String
    /// Camera id from the manifest, if any.
    public var camera: String?
    /// Recording start from the manifest, if any.
    public var recordedAt: RecordingStart?
    /// Track id within the input.
    public var trackID: Int64
    /// Identity id in the watchlist.
    public var identityID: Int64
    /// Identity display name.
    public var identityName: String
    /// Identity's external reference, if any.
    public var externalID: String?
    /// First hit's frame index.
    public var firstFrame: Int64
    /// First hit's presentation time in microseconds.
    public var firstPtsMicroseconds: Int64
    /// Last hit's frame index.
    public var lastFrame: Int64
    /// Last hit's presentation time in microseconds.
    public var lastPtsMicroseconds: Int64
    /// Frame index of the hit with the lowest distance.
    public var bestFrame: Int64
    /// Presentation time of the best hit in microseconds.
    public var bestPtsMicroseconds: Int64
    /// Lowest distance in the sighting.
    public var bestDistance: Double
    /// Number of hits.
    public var hitCount: Int
    /// Best hit's thumbnail path relative to the report directory, if thumbnails were written.
    public var bestThumbnailPath: String?
    /// The analyst's newest decision about this sighting; nil: not reviewed.
    public var review: ReviewStatus? = nil
    /// The evidence clip (`clips/…`, relative to the report folder), when one was cut.
    public var clipPath: String? = nil
    /// Its SHA-256.
    public var clipSHA256: String? = nil
    /// Why there is no clip although clips were asked for.
    public var clipWarning: String? = nil

    /// Creates a sighting.
    public init(sightingID: Int64, inputPath: String, inputSHA256: String, camera: String?,
                recordedAt: RecordingStart?, trackID: Int64, identityID: Int64, identityName: String,
                externalID: String?, firstFrame: Int64, firstPtsMicroseconds: Int64, lastFrame: Int64,
                lastPtsMicroseconds: Int64, bestFrame: Int64, bestPtsMicroseconds: Int64,
                bestDistance: Double, hitCount: Int, bestThumbnailPath: String?) {
        self.sightingID = sightingID
        self.inputPath = inputPath
        self.inputSHA256 = inputSHA256
        self.camera = camera
        self.recordedAt = recordedAt
        self.trackID = trackID
        self.identityID = identityID
        self.identityName = identityName
        self.externalID = externalID
        self.firstFrame = firstFrame
        self.firstPtsMicroseconds = firstPtsMicroseconds
        self.lastFrame = lastFrame
        self.lastPtsMicroseconds = lastPtsMicroseconds
        self.bestFrame = bestFrame
        self.bestPtsMicroseconds = bestPtsMicroseconds
        self.bestDistance = bestDistance
        self.hitCount = hitCount
        self.bestThumbnailPath = bestThumbnailPath
    }

    /// Wall-clock time of the first hit, when the recording start is known.
    public var firstWallClock: String? { recordedAt?.wallClock(atMicroseconds: firstPtsMicroseconds) }
    /// Wall-clock time of the last hit, when the recording start is known.
    public var lastWallClock: String? { recordedAt?.wallClock(atMicroseconds: lastPtsMicroseconds) }
    /// Wall-clock time of the best hit, when the recording start is known.
    public var bestWallClock: String? { recordedAt?.wallClock(atMicroseconds: bestPtsMicroseconds) }

    /// Time order: by absolute time when both recordings have a start, else by input and pts.
    static func precedes(_ a: SightingRecord, _ b: SightingRecord) -> Bool {
        if let sa = a.recordedAt, let sb = b.recordedAt {
            let ta = sa.epochNanoseconds(atMicroseconds: a.firstPtsMicroseconds)
            let tb = sb.epochNanoseconds(atMicroseconds: b.firstPtsMicroseconds)
            if ta != tb { return ta < tb }
        } else if (a.recordedAt == nil) != (b.recordedAt == nil) {
            // Sightings with a known wall clock come first: they can be placed on a common timeline.
            return a.recordedAt != nil
        }
        if a.inputPath != b.inputPath { return a.inputPath.utf8.lexicographicallyPrecedes(b.inputPath.utf8) }
        if a.firstPtsMicroseconds != b.firstPtsMicroseconds { return a.firstPtsMicroseconds < b.firstPtsMicroseconds }
        if a.identityID != b.identityID { return a.identityID < b.identityID }
        if a.trackID != b.trackID { return a.trackID < b.trackID }
        return a.sightingID < b.sightingID
    }
}
