import Common

/// Rescan problems the user must hear about.
public enum RescanStoreError: UserFacingError, Equatable {
    /// No rescan with this id.
    case unknownRescan(String)

    public var description: String {
        switch self {
        case .unknownRescan(let name):
            return "no rescan \"\(name)\" in this database (rescans are named R<id>; see `facejob rescan --list`)"
        }
    }

    public var exitStatus: ExitStatus { .usage }
}
