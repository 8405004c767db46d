/// One versioned schema change. Versions are applied in ascending order, each exactly once.
public struct Migration: Sendable, Equatable {
    /// Version number, unique and increasing (1, 2, 3, …).
    public let version: Int
    /// Short name recorded beside the version, e.g. `audit_log`.
    public let name: String
    /// The SQL to run; it may hold several statements and runs in one transaction.
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
