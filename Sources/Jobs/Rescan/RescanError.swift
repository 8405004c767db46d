import Common

/// Why a rescan cannot start.
public enum RescanError: UserFacingError, Equatable {
    /// Named jobs that have not finished.
    case unfinished([String])
    /// Neither jobs nor `--all`, or both.
    case noSelection
    /// The selection holds no finished input; `why` lists what was left out.
    case nothingToRescan(why: [String])
    /// A threshold that is not a non-negative number.
    case invalidThreshold(Double)
    /// Another process is running the same rescan.
    case busy(String)

    public var description: String {
        switch self {
        case .unfinished(let jobs):
            return "only finished jobs can be rescanned; not finished: \(jobs.joined(separator: ", ")) "
                + "(finish them with `facejob run` or `facejob worker` first)"
        case .noSelection:
            return "name the jobs to rescan (ids or names), or give --all (with --camera, --from, --to), not both"
        case .nothingToRescan(let why):
            return "nothing to rescan: no finished input with stored faces in the selection"
                + (why.isEmpty ? "" : " (" + why.joined(separator: "; ") + ")")
        case .invalidThreshold(let t):
            return "--threshold must be a non-negative number, got \(t)"
        case .busy(let id):
            return "rescan \(id) is being run by another process; try again when it has finished"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .busy: return .locked
        default: return .usage
        }
    }
}
