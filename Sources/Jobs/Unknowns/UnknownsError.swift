import Common

/// Why unknown persons cannot be grouped, listed or promoted as asked.
public enum UnknownsError: UserFacingError, Equatable {
    /// Named jobs that have not finished.
    case unfinished([String])
    /// Neither jobs nor `--all`, or both.
    case noSelection
    /// The selection holds no finished input; `why` lists what was left out.
    case nothingToCluster(why: [String])
    /// A setting out of range.
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .unfinished(let jobs):
            return "unknown persons come from finished jobs only; not finished: \(jobs.joined(separator: ", ")) "
                + "(finish them with `facejob run` or `facejob worker` first)"
        case .noSelection:
            return "name the jobs (ids or names), or give --all (with --camera, --from, --to), not both"
        case .nothingToCluster(let why):
            return "no finished input with stored faces in the selection"
                + (why.isEmpty ? "" : " (" + why.joined(separator: "; ") + ")")
        case .invalidSetting(let message):
            return message
        }
    }

    public var exitStatus: ExitStatus { .usage }
}
