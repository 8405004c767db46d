import Common

/// A failure reported by PostgreSQL or libpq, with the server's SQLSTATE when there is one.
public struct PostgresError: UserFacingError, Equatable {
    /// Five-character SQLSTATE (`23505` unique violation, `08006` connection failure, …); empty when
    /// the failure happened before the server answered.
    public let sqlState: String
    /// The primary message from the server or libpq.
    public let message: String
    /// What facejob was doing, e.g. `connect` or the statement's purpose.
    public let context: String

    /// Creates an error from its parts.
    public init(sqlState: String, message: String, context: String) {
        self.sqlState = sqlState
        self.message = message
        self.context = context
    }

    /// True for errors that mean the server cannot be reached (class 08, or no SQLSTATE at all) or
    /// ended the session (57P: shut down, crashed, starting up): the database is unavailable, the
    /// request itself was fine.
    public var isConnectionFailure: Bool { sqlState.isEmpty || sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") }

    public var description: String {
        let state = sqlState.isEmpty ? "" : " [SQLSTATE \(sqlState)]"
        return "database error while \(context): \(message)\(state)"
    }

    public var exitStatus: ExitStatus { isConnectionFailure ? .unavailable : .failure }
}
