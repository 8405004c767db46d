import Common

/// Applies pending migrations and records them in `schema_migrations`. Safe to run from several
/// processes at once (they take turns on an advisory lock) and idempotent; each migration runs in
/// its own transaction, so a failure leaves the database at the previous version.
public struct Migrator: Sendable {
    /// The migrations this build knows.
    public let migrations: [Migration]
    /// The lock that serialises migrators across processes.
    public static let lockKey = AdvisoryLockKey(name: "facejob.schema_migrations")

    /// A migrator over `migrations` (Store's `Migrator()` gives facejob's own).
    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Brings the database to the newest version and returns the versions applied now (empty when
    /// it was already current). Throws `MigrationError.databaseNewer` when the database was
    /// migrated by a newer facejob.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [Int] {
        try validate()
        return try connection.withAdvisoryLock(Migrator.lockKey) {
            try connection.executeScript("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let applied = try appliedMigrations(connection)
            try checkCompatible(applied)
            var done: [Int] = []
            for migration in migrations where applied[migration.version] == nil {
                try connection.transaction {
                    do {
                        try connection.executeScript(migration.sql)
                    } catch let error as PostgresError {
                        throw MigrationError.failed(version: migration.version, name: migration.name, error)
                    }
                    try connection.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                           [.int4(Int32(migration.version)), .text(migration.name)])
                }
                done.append(migration.version)
            }
            return done
        }
    }

    /// The database's schema version: the highest applied migration, 0 when none, nil when the
    /// database has never been migrated.
    public func currentVersion(_ connection: PostgresConnection) throws -> Int? {
        let exists = try connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").scalar(Bool.self)
        guard exists else { return nil }
        return try connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").scalar(Int.self)
    }

    /// Versions this build knows that the database lacks.
    public func pendingVersions(_ connection: PostgresConnection) throws -> [Int] {
        let exists = try connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").scalar(Bool.self)
        let applied = exists ? try appliedMigrations(connection) : [:]
        return migrations.map(\.version).filter { applied[$0] == nil }
    }

    private func appliedMigrations(_ connection: PostgresConnection) throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try connection.execute("SELECT version, name FROM schema_migrations").rows {
            applied[try row.decode(0, as: Int.self)] = try row.decode(1, as: String.self)
        }
        return applied
    }

    private func checkCompatible(_ applied: [Int: String]) throws {
        let known = migrations.map(\.version).max() ?? 0
        if let newest = applied.keys.max(), newest > known {
            throw MigrationError.databaseNewer(database: newest, binary: known)
        }
        for migration in migrations {
            if let name = applied[migration.version], name != migration.name {
                throw MigrationError.conflict(version: migration.version, database: name, binary: migration.name)
            }
        }
    }

    private func validate() throws {
        var seen = Set<Int>()
        for m in migrations {
            guard m.version > 0, seen.insert(m.version).inserted else {
                throw MigrationError.invalidRegistry("migration version \(m.version) is duplicated or not positive")
            }
        }
    }
}

/// Why the schema could not be brought up to date.
public enum MigrationError: UserFacingError, Equatable {
    /// The database was migrated by a newer facejob than this one.
    case databaseNewer(database: Int, binary: Int)
    /// The database recorded a different migration under the same version.
    case conflict(version: Int, database: String, binary: String)
    /// A migration's SQL failed; the database stays at the previous version.
    case failed(version: Int, name: String, PostgresError)
    /// The list of migrations compiled into this build is inconsistent.
    case invalidRegistry(String)

    public var description: String {
        switch self {
        case .databaseNewer(let db, let binary):
            return "the database schema is at version \(db) but this facejob knows only up to \(binary); "
                + "upgrade facejob (or point --database at another database)"
        case .conflict(let version, let db, let binary):
            return "the database recorded migration \(version) as \"\(db)\" but this facejob calls it "
                + "\"\(binary)\"; it was created by a different facejob build"
        case .failed(let version, let name, let error):
            return "migration \(version) (\(name)) failed: \(error.description)"
        case .invalidRegistry(let why):
            return "facejob's migration list is invalid: \(why)"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .databaseNewer, .conflict: return .unavailable
        case .failed(_, _, let error): return error.exitStatus
        case .invalidRegistry: return .failure
        }
    }
}
