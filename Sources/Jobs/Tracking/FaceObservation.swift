import Common
/// One detected and embedded face in a sampled frame.
public struct FaceObservation: Sendable, Equatable {
    /// The face's index within its frame, as stored with the detection.
    public var detectionIndex: Int
    /// Box in frame pixels.
    public var box: PixelBox
    /// The face's embedding.
    public var embedding: [Float]

    /// Creates an observation.
    public init(detectionIndex: Int, box: PixelBox, embedding: [Float]) {
        self.detectionIndex = detectionIndex
        self.box = box
        self.embedding = embedding
    }
}

/// The faces of one sampled frame.
public struct SampledFrame: Sendable, Equatable {
    /// Position of this frame among the input's sampled frames (0, 1, 2, …). Gaps are measured in
    /// sampled frames, so the tracker behaves the same for every sampling mode.
    public var sampleOrdinal: Int64
    /// Frame index in the input.
    public var frameIndex: Int64
    /// Presentation time in microseconds.
    public var ptsMicroseconds: Int64
    /// Faces found in the frame (possibly none).
    public var faces: [FaceObservation]

    /// Creates a frame.
    public init(sampleOrdinal: Int64, frameIndex: Int64, ptsMicroseconds: Int64, faces: [FaceObservation]) {
        self.sampleOrdinal = sampleOrdinal
        self.frameIndex = frameIndex
        self.ptsMicroseconds = ptsMicroseconds
        self.faces = faces
    }
}

/// The track a face was assigned to.
public struct TrackAssignment: Sendable, Equatable {
    /// The face's index within its frame.
    public var detectionIndex: Int
    /// The track id (1, 2, 3, … per input).
    public var trackID: Int64

    /// Creates an assignment.
    public init(detectionIndex: Int, trackID: Int64) {
        self.detectionIndex = detectionIndex
        self.trackID = trackID
    }
}
