import Postgres

extension Migration {
    /// The audit log: who did what to which subject, for every change an investigator makes.
    static let m0001AuditLog = Migration(version: 1, name: "audit_log", sql: """
        CREATE TABLE audit_log (
            id      bigserial PRIMARY KEY,
            at      timestamptz NOT NULL DEFAULT now(),
            actor   text NOT NULL,
            action  text NOT NULL,
            subject text,
            details jsonb
        );
        CREATE INDEX audit_log_at ON audit_log (at);
        """)
}
