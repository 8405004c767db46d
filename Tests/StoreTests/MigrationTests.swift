import Foundation
import Postgres
import Store
import TestSupport
import XCTest

final class MigrationTests: XCTestCase {
    func testMigrateIsIdempotent() throws {
        let db = try TestSchema(self)
        let migrator = Migrator()
        XCTAssertNil(try migrator.currentVersion(db.connection))
        XCTAssertEqual(try migrator.pendingVersions(db.connection), Migrations.all.map(\.version))
        XCTAssertEqual(try migrator.migrate(db.connection), Migrations.all.map(\.version))
        XCTAssertEqual(try migrator.migrate(db.connection), [])
        XCTAssertEqual(try migrator.currentVersion(db.connection), Migrations.latestVersion)
        XCTAssertEqual(try migrator.pendingVersions(db.connection), [])
        try db.connection.execute("INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4)",
                                  ["tester", "register", "identity 1", .jsonb(#"{"photos": 2}"#)])
        let row = try db.connection.execute("SELECT id, at, details->>'photos' FROM audit_log")[0]
        XCTAssertEqual(try row.decode(0, as: Int.self), 1)
        XCTAssertLessThan(abs(try row.decode(1, as: Date.self).timeIntervalSinceNow), 300)
        XCTAssertEqual(try row.decode(2, as: String.self), "2")
    }

    func testConcurrentMigratorsApplyEachVersionOnce() throws {
        let db = try TestSchema(self)
        let migrations = Migrations.all + [
            Migration(version: 900, name: "slow", sql: "SELECT pg_sleep(0.3); CREATE TABLE slow (n int)"),
            Migration(version: 901, name: "after", sql: "CREATE TABLE after (n int)"),
        ]
        let connections = try (0..<4).map { _ in try db.connect() }
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: connections.count) { i in
            do { results.add(try Migrator(migrations: migrations).migrate(connections[i])) }
            catch { results.fail("\(error)") }
        }
        XCTAssertEqual(results.errors, [])
        XCTAssertEqual(results.applied.sorted(), migrations.map(\.version).sorted())
        XCTAssertEqual(try db.connection.execute("SELECT count(*) FROM schema_migrations").scalar(Int.self),
                       migrations.count)
    }

    func testFailedMigrationLeavesThePreviousVersion() throws {
        let db = try TestSchema(self)
        let bad = Migrations.all + [Migration(version: 950, name: "broken",
                                              sql: "CREATE TABLE half (n int); SELEKT nonsense")]
        XCTAssertThrowsError(try Migrator(migrations: bad).migrate(db.connection)) { error in
            guard case MigrationError.failed(let version, _, let pg)? = error as? MigrationError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(version, 950)
            XCTAssertEqual(pg.sqlState, "42601")
        }
        XCTAssertEqual(try Migrator().currentVersion(db.connection), Migrations.latestVersion)
        XCTAssertEqual(try db.connection.execute("SELECT to_regclass('half') IS NULL").scalar(Bool.self), true)
    }

    func testRefusesADatabaseFromANewerFacejob() throws {
        let db = try TestSchema(self)
        try Migrator().migrate(db.connection)
        try db.connection.execute("INSERT INTO schema_migrations (version, name) VALUES (99999, 'future')")
        XCTAssertThrowsError(try Migrator().migrate(db.connection)) { error in
            XCTAssertEqual(error as? MigrationError,
                           .databaseNewer(database: 99999, binary: Migrations.latestVersion))
            XCTAssertEqual((error as? MigrationError)?.exitStatus, .unavailable)
            XCTAssertTrue("\(error)".contains("upgrade facejob"))
        }
    }

    func testRefusesARenamedMigration() throws {
        let db = try TestSchema(self)
        try Migrator().migrate(db.connection)
        // Every later migration stays as it is, so only the rename can be what is refused.
        let renamed = Migrations.all.map {
            $0.version == 1 ? Migration(version: 1, name: "something_else", sql: "SELECT 1") : $0
        }
        XCTAssertThrowsError(try Migrator(migrations: renamed).migrate(db.connection)) { error in
            XCTAssertEqual(error as? MigrationError, .conflict(version: 1, database: "audit_log", binary: "something_else"))
        }
    }

    func testRegistryVersionsAreUniqueAndAscending() {
        let versions = Migrations.all.map(\.version)
        XCTAssertEqual(versions, versions.sorted())
        XCTAssertEqual(Set(versions).count, versions.count)
        XCTAssertEqual(versions.first, 1)
    }
}
