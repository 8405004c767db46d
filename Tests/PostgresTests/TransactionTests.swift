import Postgres
import TestSupport
import XCTest

final class TransactionTests: XCTestCase {
    struct Boom: Error {}

    func testCommitKeepsAndThrowRollsBack() throws {
        let db = try TestSchema(self)
        let c = db.connection
        try c.executeScript("CREATE TABLE t (n int)")
        try c.transaction { try c.execute("INSERT INTO t VALUES (1)") }
        XCTAssertThrowsError(try c.transaction {
            try c.execute("INSERT INTO t VALUES (2)")
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertFalse(c.isInTransaction)
        XCTAssertEqual(try c.execute("SELECT array_agg(n ORDER BY n) FROM t").scalar([Int64].self), [1])
        // Another connection sees only the committed row.
        XCTAssertEqual(try db.connect().execute("SELECT count(*) FROM t").scalar(Int.self), 1)
    }

    func testNestedFailureRollsBackOnlyTheInnerPart() throws {
        let db = try TestSchema(self)
        let c = db.connection
        try c.executeScript("CREATE TABLE t (n int PRIMARY KEY)")
        try c.transaction {
            try c.execute("INSERT INTO t VALUES (1)")
            XCTAssertThrowsError(try c.transaction {
                try c.execute("INSERT INTO t VALUES (2)")
                try c.execute("INSERT INTO t VALUES (1)")  // unique violation
            })
            try c.execute("INSERT INTO t VALUES (3)")
        }
        XCTAssertEqual(try c.execute("SELECT array_agg(n ORDER BY n) FROM t").scalar([Int64].self), [1, 3])
    }

    func testSwallowedStatementErrorIsNotASilentCommit() throws {
        let db = try TestSchema(self)
        let c = db.connection
        try c.executeScript("CREATE TABLE t (n int PRIMARY KEY)")
        XCTAssertThrowsError(try c.transaction {
            try c.execute("INSERT INTO t VALUES (1)")
            _ = try? c.execute("INSERT INTO t VALUES (1)")
        }) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "25P02")
        }
        XCTAssertEqual(try c.execute("SELECT count(*) FROM t").scalar(Int.self), 0)
    }

    func testInsideACallersTransactionItUsesASavepoint() throws {
        let db = try TestSchema(self)
        let c = db.connection
        try c.executeScript("CREATE TABLE t (n int)")
        try c.executeScript("BEGIN; INSERT INTO t VALUES (1)")
        XCTAssertThrowsError(try c.transaction {
            try c.execute("INSERT INTO t VALUES (2)")
            throw Boom()
        })
        XCTAssertTrue(c.isInTransaction, "the caller's transaction stays open")
        try c.executeScript("COMMIT")
        XCTAssertEqual(try c.execute("SELECT array_agg(n) FROM t").scalar([Int32].self), [1])
    }
}
