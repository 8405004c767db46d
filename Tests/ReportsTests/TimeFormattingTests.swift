import XCTest
@testable import Reports

final class TimeFormattingTests: XCTestCase {
    func testParsesAndPrintsRFC3339() throws {
        let t = try XCTUnwrap(RecordingStart(rfc3339: "2026-11-29T03:00:00Z"))
        XCTAssertEqual(t.epochNanoseconds, 1_795_921_200 * 1_000_000_000)
        XCTAssertEqual(t.rfc3339, "2026-11-29T03:00:00.000Z")
        let local = try XCTUnwrap(RecordingStart(rfc3339: "2026-11-29t04:00:00.5+01:00"))
        XCTAssertEqual(local.epochNanoseconds, t.epochNanoseconds + 500_000_000)
        XCTAssertEqual(local.rfc3339, "2026-11-29T04:00:00.500+01:00")
        let west = try XCTUnwrap(RecordingStart(rfc3339: "1969-12-31T19:00:00.000000001-05:00"))
        XCTAssertEqual(west.epochNanoseconds, 1)
        XCTAssertNotNil(RecordingStart(rfc3339: "2024-02-29T00:00:00Z"))
    }

    func testRejectsTimesWithoutOffsetOrOutOfRange() {
        for bad in ["2026-11-29T03:00:00", "2026-11-29 03:00:00Z", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                    "2026-11-29T24:00:00Z", "2026-11-29T03:00:60Z", "2026-11-29T03:00:00.Z", "2026-11-29T03:00:00+1:00",
                    "2026-11-29T03:00:00.1234567890Z", "", "yesterday",
                    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"] {
            XCTAssertNil(RecordingStart(rfc3339: bad), bad)
        }
    }

    func testWallClockIsStartPlusPtsExactly() throws {
        let start = try XCTUnwrap(RecordingStart(rfc3339: "2026-12-31T23:59:59.999+01:00"))
        XCTAssertEqual(start.wallClock(atMicroseconds: 1_000), "2027-01-01T00:00:00.000+01:00")
        XCTAssertEqual(start.wallClock(atMicroseconds: 999), "2026-12-31T23:59:59.999+01:00")
        // 10 hours of 29.97 fps video: frame 1,078,921 at 35,999,964,633 µs.
        let utc = try XCTUnwrap(RecordingStart(rfc3339: "2026-11-29T00:00:00Z"))
        XCTAssertEqual(utc.wallClock(atMicroseconds: 35_999_964_633), "2026-11-29T09:59:59.964Z")
    }

    func testMediaClock() {
        XCTAssertEqual(MediaTime.clock(microseconds: 0), "00:00:00.000")
        XCTAssertEqual(MediaTime.clock(microseconds: 4_004_999), "00:00:04.004")
        XCTAssertEqual(MediaTime.clock(microseconds: 36_000_000_000), "10:00:00.000")
        XCTAssertEqual(MediaTime.clock(microseconds: 400 * 3_600_000_000), "400:00:00.000")
        XCTAssertEqual(MediaTime.milliseconds(microseconds: 33_367), "33.367")
        XCTAssertEqual(MediaTime.milliseconds(microseconds: -1), "-0.001")
        XCTAssertEqual(MediaTime.clock(microseconds: .min), "-2562047788:00:54.775")
    }

    func testDecodesAndEncodesLosslessly() throws {
        let start = try XCTUnwrap(RecordingStart(rfc3339: "2026-11-29T04:00:00.123456789+01:00"))
        let data = try JSONEncoder().encode([start])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "[\"2026-11-29T04:00:00.123456789+01:00\"]")
        XCTAssertEqual(try JSONDecoder().decode([RecordingStart].self, from: data), [start])
    }
}
