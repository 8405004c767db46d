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

    func testAClosedPoolEndsItsConnectionsAndRefusesNewWork() throws {
        let db = try TestSchema(self)
        let pool = PostgresPool(maxConnections: 2) { try db.connect() }
        let pid = { (c: PostgresConnection) in try c.execute("SELECT pg_backend_pid()").scalar(Int.self) }
        // One connection idle in the pool and one busy when the pool closes: the idle one closes at
        // once, the busy one finishes its work and closes instead of going back.
        let (idle, busy) = try pool.withConnection { outer -> (Int, Int) in
            let idle = try pool.withConnection(pid)
            pool.close()
            XCTAssertEqual(try outer.execute("SELECT 5").scalar(Int.self), 5)
            return (idle, try pid(outer))
        }
        XCTAssertNotEqual(idle, busy)
        XCTAssertEqual(pool.openConnections, 0)
        XCTAssertThrowsError(try pool.withConnection { try $0.execute("SELECT 1") }) {
            XCTAssertEqual(($0 as? PostgresError)?.sqlState, "08003", "\($0)")
        }
        // The server sees both sessions end (a backend exits shortly after its client's Terminate).
        var alive = [Int]()
        for _ in 0..<200 {
            alive = try db.connection.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])",
                                              [.text("{\(idle),\(busy)}")]).rows.map { try $0.decode(0, as: Int.self) }
            if alive.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(alive, [], "backends of the closed pool")
    }
}
