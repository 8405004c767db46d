import Foundation
import Postgres
import TestSupport
import XCTest

/// Every parameter type travels to the server and back unchanged, in text and binary results.
final class ParameterTests: XCTestCase {
    func roundTrip<T: PostgresDecodable & Equatable>(_ value: PostgresValue, as type: T.Type, expected: T,
                                                      file: StaticString = #filePath, line: UInt = #line) throws {
        let db = try TestSchema(self)
        for format in [PostgresFormat.text, .binary] {
            let result = try db.connection.execute("SELECT $1", [value], resultFormat: format)
            XCTAssertEqual(try result.scalar(T.self), expected, "\(value) in \(format)", file: file, line: line)
        }
    }

    func testScalarsRoundTripInBothFormats() throws {
        try roundTrip(.int4(Int32.min), as: Int32.self, expected: Int32.min)
        try roundTrip(.int4(Int32.max), as: Int.self, expected: Int(Int32.max))
        try roundTrip(.int8(Int64.min), as: Int64.self, expected: Int64.min)
        try roundTrip(.int8(Int64.max), as: Int64.self, expected: Int64.max)
        try roundTrip(.float4(0.1), as: Float.self, expected: 0.1)
        try roundTrip(.float4(-Float.greatestFiniteMagnitude), as: Float.self, expected: -Float.greatestFiniteMagnitude)
        try roundTrip(.float8(Double.pi), as: Double.self, expected: Double.pi)
        try roundTrip(.float8(-.infinity), as: Double.self, expected: -.infinity)
        try roundTrip(.float8(.leastNonzeroMagnitude), as: Double.self, expected: .leastNonzeroMagnitude)
        try roundTrip(.bool(true), as: Bool.self, expected: true)
        try roundTrip(.bool(false), as: Bool.self, expected: false)
        try roundTrip(.text("Zoë 李 \"quoted\" \\ back, slash"), as: String.self, expected: "Zoë 李 \"quoted\" \\ back, slash")
        try roundTrip(.text(""), as: String.self, expected: "")
        let uuid = UUID()
        try roundTrip(.uuid(uuid), as: UUID.self, expected: uuid)
        let allBytes = Data((0...255).map { UInt8($0) } + [0, 0])
        try roundTrip(.bytea(allBytes), as: Data.self, expected: allBytes)
        try roundTrip(.bytea(Data()), as: Data.self, expected: Data())
        let instant = Date(timeIntervalSince1970: 1_795_000_000.123456)
        for format in [PostgresFormat.text, .binary] {
            let db = try TestSchema(self)
            let back = try db.connection.execute("SELECT $1", [.timestamptz(instant)], resultFormat: format).scalar(Date.self)
            XCTAssertEqual(back.timeIntervalSince1970, instant.timeIntervalSince1970, accuracy: 1e-6)
        }
    }

    func testFloatNaNSurvives() throws {
        let db = try TestSchema(self)
        for format in [PostgresFormat.text, .binary] {
            XCTAssertTrue(try db.connection.execute("SELECT $1", [.float4(.nan)], resultFormat: format).scalar(Float.self).isNaN)
            XCTAssertTrue(try db.connection.execute("SELECT $1", [.float8(.nan)], resultFormat: format).scalar(Double.self).isNaN)
        }
    }

    func testJSONAndJSONBAreTypedOnTheServer() throws {
        let db = try TestSchema(self)
        let doc = #"{"name": "J. Doe", "ids": [1, 2]}"#
        for format in [PostgresFormat.text, .binary] {
            let row = try db.connection.execute(
                "SELECT pg_typeof($1)::text, $1->>'name', pg_typeof($2)::text, $2->'ids'->>1, $2",
                [.json(doc), .jsonb(doc)], resultFormat: format)[0]
            XCTAssertEqual(try row.decode(0, as: String.self), "json")
            XCTAssertEqual(try row.decode(1, as: String.self), "J. Doe")
            XCTAssertEqual(try row.decode(2, as: String.self), "jsonb")
            XCTAssertEqual(try row.decode(3, as: String.self), "2")
            XCTAssertEqual(try row.decode(4, as: String.self), #"{"ids": [1, 2], "name": "J. Doe"}"#)
        }
    }

    func testArraysRoundTripInBothFormats() throws {
        var generator = SystemRandomNumberGenerator()
        let embedding = (0..<128).map { _ in Float.random(in: -1...1, using: &generator) }
        try roundTrip(.float4Array(embedding), as: [Float].self, expected: embedding)
        try roundTrip(.float4Array([]), as: [Float].self, expected: [])
        let doubles = [1.5, -2.25, 1e300, 0]
        try roundTrip(.float8Array(doubles), as: [Double].self, expected: doubles)
        try roundTrip(.int8Array([Int64.min, 0, Int64.max]), as: [Int64].self, expected: [Int64.min, 0, Int64.max])
        try roundTrip(.int4Array([Int32.min, 7]), as: [Int32].self, expected: [Int32.min, 7])
        let strings = ["plain", "with space", "comma,inside", "quote\"d", "back\\slash", "NULL", "", "{brace}"]
        try roundTrip(.textArray(strings), as: [String].self, expected: strings)
    }

    func testFloat4BytesReadBackAsFloats() throws {
        let values: [Float] = [0, -1.5, .greatestFiniteMagnitude, 3.25e-20]
        try roundTrip(.float4Bytes(values), as: [Float].self, expected: values)
    }

    func testNullsOfEveryTypeReadAsNil() throws {
        let db = try TestSchema(self)
        try db.connection.executeScript("""
            CREATE TABLE nullable (i int, b bigint, r real, d float8, t text, y bytea, f boolean,
                                   u uuid, j jsonb, ts timestamptz, a real[])
            """)
        try db.connection.execute("INSERT INTO nullable VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                                  Array(repeating: PostgresValue.null, count: 11))
        try db.connection.execute("INSERT INTO nullable (i, t) VALUES ($1, $2)", [PostgresValue(Int32?.none), nil])
        for format in [PostgresFormat.text, .binary] {
            let result = try db.connection.execute("SELECT * FROM nullable", resultFormat: format)
            XCTAssertEqual(result.rowCount, 2)
            for row in result.rows {
                XCTAssertNil(try row.decode("i", as: Int32?.self))
                XCTAssertNil(try row.decode("b", as: Int64?.self))
                XCTAssertNil(try row.decode("r", as: Float?.self))
                XCTAssertNil(try row.decode("d", as: Double?.self))
                XCTAssertNil(try row.decode("t", as: String?.self))
                XCTAssertNil(try row.decode("y", as: Data?.self))
                XCTAssertNil(try row.decode("f", as: Bool?.self))
                XCTAssertNil(try row.decode("u", as: UUID?.self))
                XCTAssertNil(try row.decode("j", as: String?.self))
                XCTAssertNil(try row.decode("ts", as: Date?.self))
                XCTAssertNil(try row.decode("a", as: [Float]?.self))
                XCTAssertTrue(row.isNull(0))
            }
        }
    }

    func testTypedColumnsStoreWhatWasSent() throws {
        let db = try TestSchema(self)
        try db.connection.executeScript("CREATE TABLE typed (i int, b bigint, r real, t varchar(20), u uuid, ts timestamptz)")
        let uuid = UUID()
        let when = Date(timeIntervalSince1970: 1_700_000_000)
        try db.connection.execute("INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6)",
                                  [.int4(-7), 9_000_000_000, .float4(2.5), "varchar ok", .uuid(uuid), .timestamptz(when)])
        let row = try db.connection.execute("SELECT i, b, r, t, u, ts, u::text AS ut FROM typed", resultFormat: .binary)[0]
        XCTAssertEqual(try row.decode("i", as: Int32.self), -7)
        XCTAssertEqual(try row.decode("b", as: Int64.self), 9_000_000_000)
        XCTAssertEqual(try row.decode("r", as: Float.self), 2.5)
        XCTAssertEqual(try row.decode("t", as: String.self), "varchar ok")
        XCTAssertEqual(try row.decode("u", as: UUID.self), uuid)
        XCTAssertEqual(try row.decode("ut", as: String.self), uuid.uuidString.lowercased())
        XCTAssertEqual(try row.decode("ts", as: Date.self), when)
        // The uuid parameter is typed, so it compares with a uuid column without a cast.
        XCTAssertEqual(try db.connection.execute("SELECT count(*) FROM typed WHERE u = $1", [.uuid(uuid)]).scalar(Int.self), 1)
    }

    func testTypeMismatchesThrowClearErrors() throws {
        let db = try TestSchema(self)
        let binary = try db.connection.execute("SELECT 1::int AS n, 'x'::text AS s, 2.5::float8 AS d, NULL::int AS z",
                                               resultFormat: .binary)[0]
        XCTAssertThrowsError(try binary.decode("n", as: String.self)) { error in
            XCTAssertTrue("\(error)".contains("column n"), "\(error)")
            XCTAssertTrue("\(error)".contains("integer"), "\(error)")
        }
        XCTAssertThrowsError(try binary.decode("s", as: Int.self))
        XCTAssertThrowsError(try binary.decode("d", as: Float.self)) { error in
            XCTAssertTrue("\(error)".contains("Double"), "\(error)")
        }
        XCTAssertThrowsError(try binary.decode("z", as: Int.self)) { error in
            XCTAssertTrue("\(error)".contains("NULL"), "\(error)")
        }
        XCTAssertThrowsError(try binary.decode("missing", as: Int.self)) { error in
            XCTAssertTrue("\(error)".contains("no such column"), "\(error)")
        }
        let text = try db.connection.execute("SELECT 'abc'::text AS s")[0]
        XCTAssertThrowsError(try text.decode("s", as: Int.self))
        XCTAssertThrowsError(try text.decode(3, as: Int.self))
        XCTAssertThrowsError(try db.connection.execute("SELECT 1, 2").scalar(Int.self))
    }
}
