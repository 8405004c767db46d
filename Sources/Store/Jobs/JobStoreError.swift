import Common
import Postgres

/// Job state problems the user must hear about.
public enum JobStoreError: UserFacingError, Equatable {
    /// Another worker took over the input (our lease expired); the batch was not committed.
    case leaseLost(job: Int64, input: Int, owner: String)
    /// No job with this id or name.
    case unknownJob(String)
    /// The footage the manifest names is not the footage the job recorded (a file's content, or
    /// the files a glob matches); `change` says how.
    case footageChanged(job: Int64, name: String, finished: Bool, change: String)

    public var description: String {
        switch self {
        case .leaseLost(let job, let input, let owner):
            return "job \(job) input \(input): the lease of \(owner) expired and another worker took the input over; "
                + "this worker's batch was discarded (it will be redone from the checkpoint)"
        case .unknownJob(let name): return "no job named or numbered \"\(name)\" in this database (see `facejob jobs list`)"
        case .footageChanged(let job, let name, let finished, let change):
            return "job \(job) \"\(name)\" \(finished ? "finished" : "started") on other footage: \(change); "
                + "its results describe the footage as it was. Run it again from scratch (`facejob run --force`, or "
                + "`POST /jobs?force=true`) to search the footage as it is now, replacing its results, or give the job "
                + "another name to keep both"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .leaseLost: return .locked
        case .unknownJob: return .usage
        case .footageChanged: return .failure
        }
    }
}
