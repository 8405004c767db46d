import Foundation
import XCTest
@testable import Postgres

/// Encoders and parsers checked against byte layouts from the PostgreSQL documentation.
final class WireFormatTests: XCTestCase {
    func testBinaryEncodingsAreNetworkOrder() {
        XCTAssertEqual(PostgresValue.int4(0x0102_0304).binaryBytes(), [1, 2, 3, 4])
        XCTAssertEqual(PostgresValue.int8(-2).binaryBytes(), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe])
        XCTAssertEqual(PostgresValue.float4(1).binaryBytes(), [0x3f, 0x80, 0, 0])
        XCTAssertEqual(PostgresValue.jsonb("{}").binaryBytes(), [1, 0x7b, 0x7d])
        XCTAssertEqual(PostgresValue.timestamptz(Date(timeIntervalSince1970: 946_684_800)).binaryBytes(),
                       [0, 0, 0, 0, 0, 0, 0, 0])
        // ndim 1, no nulls, element oid 700, size 1, lower bound 1, then one length-prefixed element.
        XCTAssertEqual(PostgresValue.float4Array([1]).binaryBytes(),
                       [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0xbc, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 0x3f, 0x80, 0, 0])
        XCTAssertNil(PostgresValue.null.binaryBytes())
    }

    func testCopySignature() {
        XCTAssertEqual(PostgresCopyWriter.signature, [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00])
    }

    func testTimestampText() throws {
        XCTAssertEqual(PostgresTimestampText.parse("2000-01-01 00:00:00+00")?.timeIntervalSince1970, 946_684_800)
        XCTAssertEqual(PostgresTimestampText.parse("2026-11-29 16:55:18.5+05:30")?.timeIntervalSince1970,
                       try XCTUnwrap(PostgresTimestampText.parse("2026-11-29 11:25:18.5+00")?.timeIntervalSince1970))
        XCTAssertEqual(PostgresTimestampText.parse("1969-12-31 23:59:59")?.timeIntervalSince1970, -1)
        XCTAssertNil(PostgresTimestampText.parse("infinity"))
        XCTAssertNil(PostgresTimestampText.parse("11/29/2026 11:25:18"))
    }

    func testRedaction() {
        XCTAssertEqual(PostgresConnection.redact("postgresql://u:pw@h:5432/db?x=1"), "postgresql://u:***@h:5432/db?x=1")
        XCTAssertEqual(PostgresConnection.redact("postgresql://u@/db?host=/tmp"), "postgresql://u@/db?host=/tmp")
        XCTAssertEqual(PostgresConnection.redact("postgres://u:p@ss@h/db"), "postgres://u:***@h/db")
    }
}
