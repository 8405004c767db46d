import Common

/// A result value that cannot be read as the requested Swift type (wrong type, NULL, bad bytes).
public struct PostgresDecodingError: UserFacingError, Equatable {
    /// The column's name.
    public let column: String
    /// The row, when the problem concerns one.
    public let row: Int?
    /// What is wrong.
    public let problem: String

    /// Creates the error.
    public init(column: String, row: Int?, problem: String) {
        self.column = column
        self.row = row
        self.problem = problem
    }

    public var description: String {
        "cannot read column \(column)\(row.map { " of row \($0)" } ?? ""): \(problem)"
    }

    public var exitStatus: ExitStatus { .failure }
}
