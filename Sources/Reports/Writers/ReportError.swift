import Common

/// Why a report could not be written.
public enum ReportError: UserFacingError, Equatable {
    /// The file could not be written (path, reason).
    case cannotWrite(String, String)
    /// A path meant to be relative to the report folder escapes it or is absolute.
    case unsafeRelativePath(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): return "cannot write report \(path): \(reason)"
        case .unsafeRelativePath(let path):
            return "report path \(path) must be relative to the report folder and stay inside it"
        }
    }

    public var exitStatus: ExitStatus { .failure }
}
