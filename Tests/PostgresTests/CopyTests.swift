import Common
import Foundation
import Postgres
import TestSupport
import XCTest

final class CopyTests: XCTestCase {
    /// 100k rows of every COPY type; the server's counts, sums and a SHA-256 over the exact values
    /// must equal what was computed while writing them.
    func testBinaryCopyOf100kRows() throws {
        let db = try TestSchema(self)
        let c = db.connection
        try c.executeScript("""
            CREATE TABLE bulk (id bigint, n int, x real, y float8, s text, b bytea, f boolean, maybe int)
            """)
        let rows = 100_000
        var digestInput = ""
        digestInput.reserveCapacity(rows * 40)
        var sumX = 0.0, sumY = 0.0, nulls = 0, trues = 0
        let written = try c.copyIn("COPY bulk (id, n, x, y, s, b, f, maybe) FROM STDIN (FORMAT binary)") { w in
            for i in 0..<rows {
                let id = Int64(i) * 1_000_003 - 7
                let n = Int32(truncatingIfNeeded: i &* 2_654_435_761)
                let x = Float(i % 1000) / 4           // exact in binary, so sums are exact
                let y = Double(i) / 8
                let s = "row \(i) \u{e9}"
                let b = Data([UInt8(i & 0xff), UInt8((i >> 8) & 0xff), 0])
                let f = i % 3 == 0
                let maybe: PostgresValue = i % 10 == 0 ? .null : .int4(Int32(i))
                try w.append([.int8(id), .int4(n), .float4(x), .float8(y), .text(s), .bytea(b), .bool(f), maybe])
                digestInput += "\(id)|\(n)|\(s)|\(b.map { String(format: "%02x", $0) }.joined())|\(f ? "true" : "false")\n"
                sumX += Double(x); sumY += y
                if i % 10 == 0 { nulls += 1 }
                if f { trues += 1 }
            }
            XCTAssertEqual(w.rowCount, rows)
        }
        XCTAssertEqual(written, rows)
        let row = try c.execute("""
            SELECT count(*), sum(x::float8), sum(y), count(*) - count(maybe), count(*) FILTER (WHERE f),
                   encode(sha256(convert_to(string_agg(id || '|' || n || '|' || s || '|' || encode(b, 'hex')
                                                       || '|' || f::text || E'\\n', '' ORDER BY id), 'UTF8')), 'hex')
            FROM bulk
            """, resultFormat: .binary)[0]
        XCTAssertEqual(try row.decode(0, as: Int.self), rows)
        XCTAssertEqual(try row.decode(1, as: Double.self), sumX)
        XCTAssertEqual(try row.decode(2, as: Double.self), sumY)
        XCTAssertEqual(try row.decode(3, as: Int.self), nulls)
        XCTAssertEqual(try row.decode(4, as: Int.self), trues)
        XCTAssertEqual(try row.decode(5, as: String.self), SHA256Hex.bytes(Data(digestInput.utf8)))
    }

    func testCopyOfArraysAndUUIDs() throws {
        let db = try TestSchema(self)
        try db.connection.executeScript("CREATE TABLE emb (id uuid, v real[], j jsonb, ts timestamptz)")
        let id = UUID(), v: [Float] = [1, -2.5, 0.125], when = Date(timeIntervalSince1970: 1_800_000_000.5)
        try db.connection.copyIn("COPY emb FROM STDIN (FORMAT binary)") { w in
            try w.append([.uuid(id), .float4Array(v), .jsonb(#"{"a": 1}"#), .timestamptz(when)])
        }
        let row = try db.connection.execute("SELECT id, v, j->>'a', ts FROM emb", resultFormat: .binary)[0]
        XCTAssertEqual(try row.decode(0, as: UUID.self), id)
        XCTAssertEqual(try row.decode(1, as: [Float].self), v)
        XCTAssertEqual(try row.decode(2, as: String.self), "1")
        XCTAssertEqual(try row.decode(3, as: Date.self), when)
    }

    func testAbortedCopyStoresNothingAndConnectionStaysUsable() throws {
        struct Stop: Error {}
        let db = try TestSchema(self)
        let c = db.connection
        try c.executeScript("CREATE TABLE t (n bigint)")
        XCTAssertThrowsError(try c.copyIn("COPY t (n) FROM STDIN (FORMAT binary)") { w in
            for i in 0..<50_000 { try w.append([.int8(Int64(i))]) }
            throw Stop()
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(try c.execute("SELECT count(*) FROM t").scalar(Int.self), 0)
        // An int4 field for a bigint column is rejected by the server, not silently converted.
        XCTAssertThrowsError(try c.copyIn("COPY t (n) FROM STDIN (FORMAT binary)") { w in
            try w.append([.int4(1)])
        }) { error in
            XCTAssertTrue(["22P03", "08P01"].contains((error as? PostgresError)?.sqlState ?? ""), "\(error)")
            XCTAssertTrue("\(error)".contains(".int8 for bigint"), "\(error)")
        }
        XCTAssertEqual(try c.execute("SELECT count(*) FROM t").scalar(Int.self), 0)
        XCTAssertThrowsError(try c.copyIn("COPY nosuchtable FROM STDIN (FORMAT binary)") { _ in })
        try c.copyIn("COPY t (n) FROM STDIN (FORMAT binary)") { w in try w.append([.int8(5)]) }
        XCTAssertEqual(try c.execute("SELECT sum(n)::bigint FROM t").scalar(Int.self), 5)
    }
}
