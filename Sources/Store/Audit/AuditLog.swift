import Foundation
import Postgres

/// The audit trail: one row for every decision a person or a process makes about the data (an
/// enrolment, a removal, a watchlist created), never updated or deleted. Rows name their subject as
/// a path (`watchlist/wanted/identity/17`), so a subject's trail includes everything below it.
public struct AuditLog {
    /// The connection rows are written on (the caller's transaction, when it has one).
    public let connection: PostgresConnection

    /// The audit log of a connection.
    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Appends a row and returns its id.
    @discardableResult
    public func append(actor: String, action: String, subject: String, details: [String: Any]) throws -> Int64 {
        try connection.execute("""
            INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4) RETURNING id
            """, [.text(actor), .text(action), .text(subject), .jsonb(JSONText.encode(details))]).scalar(Int64.self)
    }

    /// Rows about `subject` and everything below it, newest first.
    public func entries(subject: String, limit: Int = 100) throws -> [AuditEntry] {
        try connection.execute("""
            SELECT id, at, actor, action, subject, details::text FROM audit_log
            WHERE subject = $1 OR subject LIKE $2 ORDER BY id DESC LIMIT $3
            """, [.text(subject), .text(Self.likeEscaped(subject) + "/%"), .int8(Int64(limit))]).rows.map { row in
            AuditEntry(id: try row.decode(0), at: try row.decode(1), actor: try row.decode(2),
                       action: try row.decode(3), subject: try row.decode(4), details: try row.decode(5))
        }
    }

    static func likeEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

/// One audit row.
public struct AuditEntry: Sendable, Equatable {
    /// Row id.
    public let id: Int64
    /// When.
    public let at: Date
    /// Who (`user@host`).
    public let actor: String
    /// What, e.g. `register`, `identity.remove`.
    public let action: String
    /// To what, e.g. `watchlist/wanted/identity/17`.
    public let subject: String?
    /// The details as JSON text.
    public let details: String?
}
