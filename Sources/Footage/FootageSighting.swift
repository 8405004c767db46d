import Common
import Foundation
import Reports

/// One answer of `find`: a track of stored faces that look like the probe, where and when it was
/// seen, and its closest face.
public struct FootageSighting: Sendable, Equatable, Encodable {
    /// A moment of the track.
    public struct Moment: Sendable, Equatable, Encodable {
        /// Frame index in the input.
        public var frameIndex: Int64
        /// Presentation time (ms).
        public var ptsMs: Double
        /// `HH:MM:SS.mmm` into the input.
        public var time: String
        /// Wall clock, when the input's recording start is known.
        public var wallClock: String?

        enum CodingKeys: String, CodingKey {
            case frameIndex = "frame_index", ptsMs = "pts_ms", time, wallClock = "wall_clock"
        }
    }

    /// 1 = closest.
    public var rank: Int
    /// The job that stored the faces.
    public var jobID: Int64
    /// Its name.
    public var jobName: String
    /// The input's position in the job.
    public var inputOrdinal: Int
    /// The input file.
    public var inputPath: String
    /// Its camera, if the manifest named one.
    public var camera: String?
    /// The track (0: a face the tracker did not link).
    public var trackID: Int64
    /// First matching face of the track.
    public var first: Moment
    /// Last matching face of the track.
    public var last: Moment
    /// The closest face: frame, time, box.
    public var best: Moment
    /// Its index within its frame: `--detection JOB/INPUT/FRAME/INDEX` names it.
    public var bestDetectionIndex: Int
    /// Its box in frame pixels.
    public var bestBox: PixelBox
    /// Its distance to the probe.
    public var distance: Float
    /// Faces of the track under the threshold.
    public var faces: Int

    /// `JOB/INPUT/FRAME/INDEX` of the closest face.
    public var detectionReference: String { "\(jobID)/\(inputOrdinal)/\(best.frameIndex)/\(bestDetectionIndex)" }

    enum CodingKeys: String, CodingKey {
        case rank, jobID = "job_id", jobName = "job_name", inputOrdinal = "input_ordinal", inputPath = "input_path", camera
        case trackID = "track_id", first, last, best, bestDetectionIndex = "best_detection_index", bestBox = "best_box"
        case distance, faces, detection = "detection"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rank, forKey: .rank)
        try c.encode(jobID, forKey: .jobID)
        try c.encode(jobName, forKey: .jobName)
        try c.encode(inputOrdinal, forKey: .inputOrdinal)
        try c.encode(inputPath, forKey: .inputPath)
        try c.encode(camera, forKey: .camera)
        try c.encode(trackID, forKey: .trackID)
        try c.encode(first, forKey: .first)
        try c.encode(last, forKey: .last)
        try c.encode(best, forKey: .best)
        try c.encode(bestDetectionIndex, forKey: .bestDetectionIndex)
        try c.encode([bestBox.x, bestBox.y, bestBox.width, bestBox.height].map { ($0 * 10).rounded() / 10 }, forKey: .bestBox)
        try c.encode(distance, forKey: .distance)
        try c.encode(faces, forKey: .faces)
        try c.encode(detectionReference, forKey: .detection)
    }
}

extension FootageSighting.Moment {
    init(frameIndex: Int64, ptsMicroseconds: Int64, recordedAt: RecordingStart?) {
        self.frameIndex = frameIndex
        ptsMs = Double(ptsMicroseconds) / 1000
        time = MediaTime.clock(microseconds: ptsMicroseconds)
        wallClock = recordedAt?.wallClock(atMicroseconds: ptsMicroseconds)
    }
}
