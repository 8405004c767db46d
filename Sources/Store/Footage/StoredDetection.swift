/// A face a job stored, with where it was seen: the unit of the footage corpus.
public struct StoredDetection: Sendable, Equatable {
    /// The job.
    public var jobID: Int64
    /// The input's position in the job.
    public var inputOrdinal: Int
    /// The face: frame, time, box, track and embedding.
    public var detection: DetectionRow

    /// A stored detection.
    public init(jobID: Int64, inputOrdinal: Int, detection: DetectionRow) {
        self.jobID = jobID
        self.inputOrdinal = inputOrdinal
        self.detection = detection
    }

    /// `JOB/INPUT/FRAME/INDEX`, the reference `facejob find --detection` takes.
    public var reference: String {
        "\(jobID)/\(inputOrdinal)/\(detection.frameIndex)/\(detection.detectionIndex)"
    }
}
