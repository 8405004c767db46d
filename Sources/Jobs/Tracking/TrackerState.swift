import Common
/// Everything the tracker remembers between frames: the next track id and, per live track, its
/// last face. Because it holds nothing else, it can be rebuilt exactly from committed detections
/// when a job resumes (`rebuild(from:checkpointOrdinal:settings:)`).
public struct TrackerState: Sendable, Equatable, Codable {
    /// A track that can still be continued.
    public struct LiveTrack: Sendable, Equatable, Codable {
        /// Track id.
        public var id: Int64
        /// Sample ordinal of the track's last face.
        public var lastOrdinal: Int64
        /// The track's last box.
        public var lastBox: PixelBox
        /// The track's last embedding.
        public var lastEmbedding: [Float]

        /// Creates a live track.
        public init(id: Int64, lastOrdinal: Int64, lastBox: PixelBox, lastEmbedding: [Float]) {
            self.id = id
            self.lastOrdinal = lastOrdinal
            self.lastBox = lastBox
            self.lastEmbedding = lastEmbedding
        }
    }

    /// Id the next new track gets.
    public var nextTrackID: Int64
    /// Sample ordinal of the last processed frame; nil before the first.
    public var lastOrdinal: Int64?
    /// Live tracks, sorted by id.
    public var tracks: [LiveTrack]

    /// The state before the first frame of an input.
    public static let initial = TrackerState(nextTrackID: 1, lastOrdinal: nil, tracks: [])

    /// Creates a state.
    public init(nextTrackID: Int64, lastOrdinal: Int64?, tracks: [LiveTrack]) {
        self.nextTrackID = nextTrackID
        self.lastOrdinal = lastOrdinal
        self.tracks = tracks
    }

    /// The state a tracker had right after processing the frame at `checkpointOrdinal`, rebuilt
    /// from the detections committed up to then (with the track ids they were given). Only each
    /// track's last detection matters; pass all of them or just the recent ones.
    public static func rebuild(from committed: [CommittedDetection], checkpointOrdinal: Int64?,
                               settings: TrackingSettings) -> TrackerState {
        guard let checkpoint = checkpointOrdinal else { return .initial }
        var last: [Int64: CommittedDetection] = [:]
        var maxID: Int64 = 0
        for d in committed where d.sampleOrdinal <= checkpoint {
            maxID = max(maxID, d.trackID)
            if let seen = last[d.trackID], seen.sampleOrdinal >= d.sampleOrdinal { continue }
            last[d.trackID] = d
        }
        let live = last.values
            .filter { checkpoint - $0.sampleOrdinal <= Int64(settings.maxGapFrames) }
            .map { LiveTrack(id: $0.trackID, lastOrdinal: $0.sampleOrdinal, lastBox: $0.box, lastEmbedding: $0.embedding) }
            .sorted { $0.id < $1.id }
        return TrackerState(nextTrackID: maxID + 1, lastOrdinal: checkpoint, tracks: live)
    }
}

/// A detection as committed to the database: enough to rebuild the tracker.
public struct CommittedDetection: Sendable, Equatable {
    /// Track id it was given.
    public var trackID: Int64
    /// Sample ordinal of its frame.
    public var sampleOrdinal: Int64
    /// Box in frame pixels.
    public var box: PixelBox
    /// Embedding.
    public var embedding: [Float]

    /// Creates a committed detection.
    public init(trackID: Int64, sampleOrdinal: Int64, box: PixelBox, embedding: [Float]) {
        self.trackID = trackID
        self.sampleOrdinal = sampleOrdinal
        self.box = box
        self.embedding = embedding
    }
}
