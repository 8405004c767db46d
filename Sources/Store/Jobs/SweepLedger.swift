import Postgres

/// One footage file a sweep has seen, with the fingerprint it had.
public struct SweepLedgerEntry: Sendable, Equatable {
    /// Absolute path.
    public var path: String
    /// Size in bytes.
    public var sizeBytes: Int64
    /// Modification time in ns since 1970.
    public var modifiedNanoseconds: Int64
    /// SHA-256.
    public var sha256: String

    /// Creates an entry.
    public init(path: String, sizeBytes: Int64, modifiedNanoseconds: Int64, sha256: String) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.modifiedNanoseconds = modifiedNanoseconds
        self.sha256 = sha256
    }
}

extension JobRepository {
    /// Every file the sweep has seen.
    public func ledger(sweep: String) throws -> [SweepLedgerEntry] {
        try connection.execute("""
            SELECT path, size_bytes, modified_ns, sha256 FROM sweep_ledger WHERE sweep = $1 ORDER BY path
            """, [.text(sweep)]).rows.map {
            SweepLedgerEntry(path: try $0.decode(0), sizeBytes: try $0.decode(1), modifiedNanoseconds: try $0.decode(2),
                             sha256: try $0.decode(3))
        }
    }

    /// Records files as seen (after the job that covers them finished), replacing older fingerprints.
    public func recordSeen(sweep: String, _ entries: [SweepLedgerEntry], jobID: Int64?) throws {
        try connection.transaction {
            for e in entries {
                try connection.execute("""
                    INSERT INTO sweep_ledger (sweep, path, size_bytes, modified_ns, sha256, job_id) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (sweep, path) DO UPDATE SET size_bytes = EXCLUDED.size_bytes,
                        modified_ns = EXCLUDED.modified_ns, sha256 = EXCLUDED.sha256, job_id = EXCLUDED.job_id, seen_at = now()
                    """, [.text(sweep), .text(e.path), .int8(e.sizeBytes), .int8(e.modifiedNanoseconds), .text(e.sha256),
                          jobID.map { .int8($0) } ?? .null])
            }
        }
    }
}
