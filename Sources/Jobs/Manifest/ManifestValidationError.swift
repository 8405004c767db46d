import Common

/// A manifest (or sweep definition) that cannot be run, with every problem found in it. Exit 64.
public struct ManifestValidationError: UserFacingError, Equatable {
    /// The file the problems are in, when it came from a file.
    public var file: String?
    /// Every problem, in document order.
    public var issues: [ManifestIssue]

    /// Creates the error.
    public init(file: String?, issues: [ManifestIssue]) {
        self.file = file
        self.issues = issues
    }

    /// Pointers of all issues, handy in tests and scripts.
    public var pointers: [String] { issues.map(\.pointer) }

    public var description: String {
        let head = "\(file ?? "manifest") is not valid (\(issues.count) problem\(issues.count == 1 ? "" : "s")):"
        return ([head] + issues.map { "  " + $0.description }).joined(separator: "\n")
    }

    public var exitStatus: ExitStatus { .usage }
}
