/// Life cycle of one input of a job, as stored in `job_inputs.status`.
public enum InputStatus: String, Sendable, Codable, CaseIterable {
    /// Not started yet.
    case pending
    /// A worker holds the lease and is processing it.
    case running
    /// Fully processed.
    case done
    /// Processed as far as possible; damaged parts were skipped and counted.
    case partial
    /// Could not be processed; the error is recorded.
    case failed

    /// Whether a rerun of the job leaves this input alone.
    public var isFinished: Bool { self == .done || self == .partial || self == .failed }
}
