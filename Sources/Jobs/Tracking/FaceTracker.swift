import Common
/// Links faces across consecutive sampled frames of one input into tracks.
///
/// A face may continue a live track when the boxes overlap enough (IoU ≥ `tracking.iou`) and the
/// embeddings are close enough (euclidean distance ≤ `tracking.max_distance`), and the track was
/// seen at most `max_gap_frames` sampled frames ago. Among the allowed pairs the tracker assigns
/// greedily, closest embedding first (ties: larger IoU, older track, box position).
///
/// Why greedy rather than Hungarian: a frame holds a handful of faces and both gates leave few
/// competing pairs. Where pairs do compete — two people crossing, boxes overlapping both ways —
/// the embedding is the reliable evidence, and taking the most similar pair first keeps a
/// confident match; Hungarian minimises the summed cost and may trade one confident match for two
/// mediocre ones. Greedy on a total order is also trivially deterministic.
///
/// Deterministic and independent of the order the detector lists faces in: candidates and new
/// faces are ordered by distance and geometry, never by array position. New tracks get ids in box
/// order (left, top, …).
public struct FaceTracker: Sendable {
    /// Settings the tracker was created with.
    public let settings: TrackingSettings
    /// The current state (checkpointable, see `TrackerState.rebuild`).
    public private(set) var state: TrackerState

    /// A tracker starting from `state` (`.initial` for a new input).
    public init(settings: TrackingSettings, state: TrackerState = .initial) {
        self.settings = settings
        self.state = state
    }

    /// Assigns every face of `frame` to a track; returns assignments sorted by detection index.
    /// Frames must come in increasing sample ordinal.
    public mutating func update(_ frame: SampledFrame) -> [TrackAssignment] {
        precondition(state.lastOrdinal.map { frame.sampleOrdinal > $0 } ?? true,
                     "frames must reach the tracker in increasing sample ordinal")
        let maxGap = Int64(settings.maxGapFrames)
        var live = state.tracks.filter { frame.sampleOrdinal - $0.lastOrdinal <= maxGap + 1 }

        struct Candidate {
            var track: Int
            var face: Int
            var distance: Double
            var iou: Double
        }
        var candidates: [Candidate] = []
        for (t, track) in live.enumerated() {
            for (f, face) in frame.faces.enumerated() {
                let iou = track.lastBox.iou(face.box)
                guard iou >= settings.iou else { continue }
                let d = Self.distance(track.lastEmbedding, face.embedding)
                guard d <= settings.maxDistance else { continue }
                candidates.append(Candidate(track: t, face: f, distance: d, iou: iou))
            }
        }
        candidates.sort { a, b in
            if a.distance != b.distance { return a.distance < b.distance }
            if a.iou != b.iou { return a.iou > b.iou }
            if live[a.track].id != live[b.track].id { return live[a.track].id < live[b.track].id }
            return PixelBox.precedes(frame.faces[a.face].box, frame.faces[b.face].box)
        }
        var trackTaken = Array(repeating: false, count: live.count)
        var faceTrack: [Int64?] = Array(repeating: nil, count: frame.faces.count)
        for c in candidates where !trackTaken[c.track] && faceTrack[c.face] == nil {
            trackTaken[c.track] = true
            faceTrack[c.face] = live[c.track].id
            live[c.track].lastOrdinal = frame.sampleOrdinal
            live[c.track].lastBox = frame.faces[c.face].box
            live[c.track].lastEmbedding = frame.faces[c.face].embedding
        }
        let unmatched = frame.faces.indices.filter { faceTrack[$0] == nil }.sorted { a, b in
            let fa = frame.faces[a], fb = frame.faces[b]
            if fa.box != fb.box { return PixelBox.precedes(fa.box, fb.box) }
            return fa.detectionIndex < fb.detectionIndex
        }
        for f in unmatched {
            let id = state.nextTrackID
            state.nextTrackID += 1
            faceTrack[f] = id
            let face = frame.faces[f]
            live.append(TrackerState.LiveTrack(id: id, lastOrdinal: frame.sampleOrdinal, lastBox: face.box, lastEmbedding: face.embedding))
        }
        // Keep exactly the tracks that may continue at the next ordinal: the same set a rebuild
        // from committed detections yields, so a resumed job continues identically.
        state.tracks = live.filter { frame.sampleOrdinal - $0.lastOrdinal <= maxGap }.sorted { $0.id < $1.id }
        state.lastOrdinal = frame.sampleOrdinal
        var out: [TrackAssignment] = []
        for (f, face) in frame.faces.enumerated() {
            if let id = faceTrack[f] { out.append(TrackAssignment(detectionIndex: face.detectionIndex, trackID: id)) }
        }
        return out.sorted { $0.detectionIndex < $1.detectionIndex }
    }

    /// Euclidean distance; infinite for embeddings of different lengths (never the same track).
    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return .infinity }
        var sum: Double = 0
        for i in a.indices {
            let d = Double(a[i]) - Double(b[i])
            sum += d * d
        }
        return sum.squareRoot()
    }
}
