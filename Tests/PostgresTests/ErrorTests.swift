import Common
import Postgres
import TestSupport
import XCTest

/// Server errors arrive as PostgresError with their SQLSTATE, and the connection stays usable.
final class ErrorTests: XCTestCase {
    func testUniqueViolationCarriesSQLStateAndDetail() throws {
        let db = try TestSchema(self)
        try db.connection.executeScript("CREATE TABLE people (name text PRIMARY KEY)")
        try db.connection.execute("INSERT INTO people VALUES ($1)", ["J. Doe"])
        XCTAssertThrowsError(try db.connection.execute("INSERT INTO people VALUES ($1)", ["J. Doe"])) { error in
            guard let pg = error as? PostgresError else { return XCTFail("\(error)") }
            XCTAssertEqual(pg.sqlState, "23505")
            XCTAssertTrue(pg.message.contains("people_pkey"), pg.message)
            XCTAssertTrue(pg.message.contains("J. Doe"), pg.message)  // the DETAIL line
            XCTAssertFalse(pg.isConnectionFailure)
            XCTAssertEqual(pg.exitStatus, .failure)
        }
        XCTAssertEqual(try db.connection.execute("SELECT count(*) FROM people").scalar(Int.self), 1)
    }

    func testSyntaxErrorCarriesSQLState() throws {
        let db = try TestSchema(self)
        XCTAssertThrowsError(try db.connection.execute("SELEKT 1")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "42601")
            XCTAssertTrue("\(error)".contains("SELEKT"), "\(error)")
        }
        XCTAssertThrowsError(try db.connection.executeScript("SELECT 1; SELEKT 2")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "42601")
        }
        XCTAssertEqual(try db.connection.execute("SELECT 41 + 1").scalar(Int.self), 42)
    }

    func testUnreachableServerIsAConnectionFailure() throws {
        _ = try TestSchema(self)  // only to honour the skip when PostgreSQL tests are off
        let dir = NSTemporaryDirectory() + "facejob-nosuchserver-\(getpid())"
        XCTAssertThrowsError(try PostgresConnection(url: "postgresql://facejob:secret@/x?host=\(dir)")) { error in
            guard let pg = error as? PostgresError else { return XCTFail("\(error)") }
            XCTAssertTrue(pg.isConnectionFailure)
            XCTAssertEqual(pg.exitStatus, .unavailable)
            XCTAssertTrue(pg.context.contains("facejob:***@"), pg.context)
            XCTAssertFalse(pg.description.contains("secret"))
        }
        XCTAssertThrowsError(try PostgresConnection(url: "postgresql://[bad")) { error in
            XCTAssertTrue(error is PostgresError)
        }
    }
}
