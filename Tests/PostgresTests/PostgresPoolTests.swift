import Foundation
import Postgres
import TestSupport
import XCTest

final class PostgresPoolTests: XCTestCase {
    func testConcurrentWorkersShareAtMostMaxConnections() throws {
        let db = try TestSchema(self)
        let pool = PostgresPool(maxConnections: 2) { try db.connect() }
        let backends = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let pid = try pool.withConnection { c -> Int in
                    try c.execute("SELECT pg_sleep(0.05)")
                    return try c.execute("SELECT pg_backend_pid()").scalar(Int.self)
                }
                backends.add([pid])
            } catch { backends.fail("\(error)") }
        }
        XCTAssertEqual(backends.errors, [])
        XCTAssertEqual(backends.applied.count, 8)
        XCTAssertLessThanOrEqual(Set(backends.applied).count, 2)
        XCTAssertLessThanOrEqual(pool.openConnections, 2)
    }

    func testBrokenOrOpenTransactionConnectionsAreNotReused() throws {
        let db = try TestSchema(self)
        let pool = PostgresPool(maxConnections: 1) { try db.connect() }
        let first = try pool.withConnection { c -> Int in
            try c.executeScript("BEGIN")  // left open on purpose
            return try c.execute("SELECT pg_backend_pid()").scalar(Int.self)
        }
        XCTAssertEqual(pool.openConnections, 0)
        let second = try pool.withConnection { try $0.execute("SELECT pg_backend_pid()").scalar(Int.self) }
        XCTAssertNotEqual(first, second)
        try db.connection.execute("SELECT pg_terminate_backend($1)", [.int4(Int32(second))])
        XCTAssertThrowsError(try pool.withConnection { try $0.execute("SELECT 1") })
        XCTAssertEqual(try pool.withConnection { try $0.execute("SELECT 7").scalar(Int.self) }, 7)
    }
}
