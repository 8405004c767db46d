import Postgres

/// Every migration this build knows, in version order. A new schema change adds a file
/// `M000N_Name.swift` (an `extension Migration` with one static constant) and one line here.
public enum Migrations {
    /// All migrations, ascending by version.
    public static let all: [Migration] = [
        .m0001AuditLog,
        .m0002Watchlist,
        .m0003Jobs,
        .m0004InputTimeSource,
        .m0005Rescans,
        .m0006MotionGateState,
        .m0007UnknownPersons,
        .m0008Reviews,
        .m0009Clips,
        .m0010SegmentKinds,
    ]

    /// The newest version this build knows.
    public static var latestVersion: Int { all.map(\.version).max() ?? 0 }
}

extension Migrator {
    /// A migrator over facejob's own migrations.
    public init() { self.init(migrations: Migrations.all) }
}
