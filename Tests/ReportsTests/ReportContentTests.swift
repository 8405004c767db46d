import Common
import Foundation
import XCTest
@testable import Reports

final class ReportContentTests: XCTestCase {
    func testHitsCSVRoundTrips() throws {
        let bundle = Fixtures.bundle()
        let rows = try XCTUnwrap(CSVReader.parse(CSVReportWriter().render(bundle)))
        XCTAssertEqual(rows.first, CSVReportWriter.columns)
        XCTAssertEqual(Array(rows.dropFirst()), bundle.sortedHits.map(CSVReportWriter.fields))
        // The hostile name, with its comma, quotes and newline, survives intact.
        XCTAssertEqual(rows[3][CSVReportWriter.columns.firstIndex(of: "identity_name") ?? 0], Fixtures.hostile)
    }

    func testSightingsCSVRoundTrips() throws {
        let bundle = Fixtures.bundle()
        let rows = try XCTUnwrap(CSVReader.parse(SightingsCSVWriter().render(bundle)))
        XCTAssertEqual(rows.count, 1 + bundle.sightings.count)
        XCTAssertTrue(rows.allSatisfy { $0.count == SightingsCSVWriter.columns.count })
        let names = rows.dropFirst().map { $0[SightingsCSVWriter.columns.firstIndex(of: "identity_name") ?? 0] }
        XCTAssertEqual(names, ["Jane Doe", Fixtures.hostile, "Jane Doe"])
    }

    func testCSVReaderRejectsBrokenQuoting() {
        XCTAssertNil(CSVReader.parse("a,\"b\n"))
        XCTAssertNil(CSVReader.parse("a,b\"c\"\n"))
        XCTAssertEqual(CSVReader.parse("a,\"b,\"\"c\"\"\"\r\nd,\n"), [["a", "b,\"c\""], ["d", ""]])
    }

    func testJSONIsValidAndAgreesWithCSV() throws {
        let bundle = Fixtures.bundle()
        let json = try JSONSerialization.jsonObject(with: Data(JSONReportWriter().render(bundle).utf8)) as? [String: Any]
        let hits = try XCTUnwrap(json?["hits"] as? [[String: Any]])
        let rows = try XCTUnwrap(CSVReader.parse(CSVReportWriter().render(bundle))).dropFirst()
        XCTAssertEqual(hits.count, rows.count)
        let frameColumn = CSVReportWriter.columns.firstIndex(of: "frame_index") ?? 0
        XCTAssertEqual(hits.compactMap { ($0["frame_index"] as? NSNumber)?.stringValue }, rows.map { $0[frameColumn] })
        let header = try XCTUnwrap(json?["header"] as? [String: Any])
        XCTAssertEqual(header["manifest_sha256"] as? String, bundle.header.manifestHash)
        let inputs = try XCTUnwrap(header["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs[1]["error"] as? String, "corrupt stream at 00:00:04.000 <bad>")
        XCTAssertEqual((json?["sightings"] as? [Any])?.count, 3)
    }

    func testHTMLEscapesHostileText() throws {
        let html = try HTMLReportWriter().render(Fixtures.bundle())
        XCTAssertFalse(html.contains("<script>alert"), "a name must never become markup")
        XCTAssertEqual(html.components(separatedBy: "<script>").count - 1, 1, "the page's own table script only")
        XCTAssertFalse(html.contains("<bad>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&#39;apostrophe&#39;"))
        // A file name with a space and `#` becomes a working relative link.
        XCTAssertTrue(html.contains("src=\"thumbs/2/f5-t1%20%231.jpg\""))
    }

    func testHTMLRejectsLinksOutsideTheReportFolder() {
        for bad in ["/etc/passwd", "../x.jpg", "thumbs/../../x.jpg", "", "a//b.jpg"] {
            XCTAssertThrowsError(try HTMLText.relativeLink(bad), bad)
        }
    }

    func testSightingsSortByWallClockFirst() throws {
        let sorted = Fixtures.bundle().sortedSightings.map(\.sightingID)
        // Sightings 1 and 2 have a recording start and come first, in time order; 3 has none.
        XCTAssertEqual(sorted, [1, 2, 3])
    }

    func testBoxNormalisation() {
        let n = PixelBox(x: 64, y: 36, width: 320, height: 180).normalised(frameWidth: 640, frameHeight: 360)
        XCTAssertEqual(n, PixelBox(x: 0.1, y: 0.1, width: 0.5, height: 0.5))
        XCTAssertEqual(PixelBox(x: 1, y: 1, width: 1, height: 1).normalised(frameWidth: 0, frameHeight: 0),
                       PixelBox(x: 0, y: 0, width: 0, height: 0))
    }

    func testFixedDecimalIsLocaleFreeAndHasNoNegativeZero() {
        XCTAssertEqual(FixedDecimal.format(0.1234567, places: 6), "0.123457")
        XCTAssertEqual(FixedDecimal.format(-0.0000001, places: 3), "0.000")
        XCTAssertEqual(FixedDecimal.format(.nan, places: 3), "")
        XCTAssertEqual(OrderedJSON.fixed(.infinity, places: 2), .null)
    }

    func testThumbnailPathsSortInTimeOrder() {
        XCTAssertEqual(ThumbnailPath.forHit(inputIndex: 3, frameIndex: 4512, trackID: 12), "thumbs/i003/f000004512-t0012.jpg")
        let a = ThumbnailPath.forHit(inputIndex: 0, frameIndex: 99, trackID: 1)
        let b = ThumbnailPath.forHit(inputIndex: 0, frameIndex: 100, trackID: 1)
        XCTAssertLessThan(a, b)
        XCTAssertNoThrow(try HTMLText.relativeLink(b))
    }

    func testJSONStringEscaping() {
        XCTAssertEqual(OrderedJSON.quote("a\"b\\c\n\u{01}"), "\"a\\\"b\\\\c\\n\\u0001\"")
        // Reports escape the line and paragraph separators (raw U+2028 ends a JavaScript string).
        XCTAssertEqual(OrderedJSON.quote("a\u{2028}b\u{2029}é"), "\"a\\u2028b\\u2029é\"")
    }
}
