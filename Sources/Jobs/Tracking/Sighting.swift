import Reports

/// A hit after tracking: what sightings are built from.
public struct TrackedHit: Sendable, Equatable {
    /// Index of the input in the job.
    public var inputIndex: Int
    /// Track id within the input.
    public var trackID: Int64
    /// Identity matched.
    public var identityID: Int64
    /// Frame index.
    public var frameIndex: Int64
    /// Presentation time in microseconds.
    public var ptsMicroseconds: Int64
    /// Embedding distance.
    public var distance: Double

    /// Creates a tracked hit.
    public init(inputIndex: Int, trackID: Int64, identityID: Int64, frameIndex: Int64, ptsMicroseconds: Int64, distance: Double) {
        self.inputIndex = inputIndex
        self.trackID = trackID
        self.identityID = identityID
        self.frameIndex = frameIndex
        self.ptsMicroseconds = ptsMicroseconds
        self.distance = distance
    }
}

/// A track's hits for one identity: first seen, last seen, best (lowest distance) frame, count.
public struct Sighting: Sendable, Equatable {
    /// A moment in the input.
    public struct Moment: Sendable, Equatable {
        /// Frame index.
        public var frameIndex: Int64
        /// Presentation time in microseconds.
        public var ptsMicroseconds: Int64
    }

    /// Sighting id within the job (1, 2, …), in order of input, first seen, identity, track.
    public var id: Int64
    /// Index of the input in the job.
    public var inputIndex: Int
    /// Track id within the input.
    public var trackID: Int64
    /// Identity.
    public var identityID: Int64
    /// First hit.
    public var first: Moment
    /// Last hit.
    public var last: Moment
    /// Hit with the lowest distance (ties: the earliest).
    public var best: Moment
    /// The lowest distance.
    public var bestDistance: Double
    /// Number of hits.
    public var count: Int

    /// The report row for this sighting, given what the database knows about its input and identity.
    public func record(inputPath: String, inputSHA256: String, camera: String?, recordedAt: RecordingStart?,
                       identityName: String, externalID: String?, bestThumbnailPath: String?) -> SightingRecord {
        SightingRecord(sightingID: id, inputPath: inputPath, inputSHA256: inputSHA256, camera: camera,
                       recordedAt: recordedAt, trackID: trackID, identityID: identityID, identityName: identityName,
                       externalID: externalID, firstFrame: first.frameIndex, firstPtsMicroseconds: first.ptsMicroseconds,
                       lastFrame: last.frameIndex, lastPtsMicroseconds: last.ptsMicroseconds, bestFrame: best.frameIndex,
                       bestPtsMicroseconds: best.ptsMicroseconds, bestDistance: bestDistance, hitCount: count,
                       bestThumbnailPath: bestThumbnailPath)
    }
}

/// Groups tracked hits into sightings.
public enum SightingBuilder {
    /// One sighting per (input, track, identity); ids assigned in a total order that does not
    /// depend on the order of `hits`.
    public static func build(_ hits: [TrackedHit]) -> [Sighting] {
        struct Key: Hashable { var input: Int; var track: Int64; var identity: Int64 }
        var groups: [Key: Sighting] = [:]
        for h in hits {
            let key = Key(input: h.inputIndex, track: h.trackID, identity: h.identityID)
            let m = Sighting.Moment(frameIndex: h.frameIndex, ptsMicroseconds: h.ptsMicroseconds)
            guard var s = groups[key] else {
                groups[key] = Sighting(id: 0, inputIndex: h.inputIndex, trackID: h.trackID, identityID: h.identityID,
                                       first: m, last: m, best: m, bestDistance: h.distance, count: 1)
                continue
            }
            s.count += 1
            if earlier(m, s.first) { s.first = m }
            if earlier(s.last, m) { s.last = m }
            if h.distance < s.bestDistance || (h.distance == s.bestDistance && earlier(m, s.best)) {
                s.best = m
                s.bestDistance = h.distance
            }
            groups[key] = s
        }
        let ordered = groups.values.sorted { a, b in
            if a.inputIndex != b.inputIndex { return a.inputIndex < b.inputIndex }
            if a.first != b.first { return earlier(a.first, b.first) }
            if a.identityID != b.identityID { return a.identityID < b.identityID }
            return a.trackID < b.trackID
        }
        return ordered.enumerated().map { n, s in
            var s = s
            s.id = Int64(n + 1)
            return s
        }
    }

    private static func earlier(_ a: Sighting.Moment, _ b: Sighting.Moment) -> Bool {
        (a.ptsMicroseconds, a.frameIndex) < (b.ptsMicroseconds, b.frameIndex)
    }
}
