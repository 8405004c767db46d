import Common

/// Job state problems the user must hear about.
public enum JobStoreError: UserFacingError, Equatable {
    /// Another worker took over the input (our lease expired); the batch was not committed.
    case leaseLost(job: Int64, input: Int, owner: String)
    /// No job with this id or name.
    case unknownJob(String)
    /// An unfinished input's file changed since the job started.
    case inputChanged(path: String)

    public var description: String {
        switch self {
        case .leaseLost(let job, let input, let owner):
            return "job \(job) input \(input): the lease of \(owner) expired and another worker took the input over; "
                + "this worker's batch was discarded (it will be redone from the checkpoint)"
        case .unknownJob(let name): return "no job named or numbered \"\(name)\" in this database (see `facejob jobs list`)"
        case .inputChanged(let path):
            return "\(path) changed since this job started (different SHA-256); rerun with --force to start the job over"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .leaseLost: return .locked
        case .unknownJob: return .usage
        case .inputChanged: return .failure
        }
    }
}
