import Foundation
import XCTest
@testable import Reports

final class UnknownsReportWriterTests: XCTestCase {
    static let hostile = "W: <script>alert(\"x\")</script>, Doe"

    static func sighting(_ reference: String, camera: String?, first: String?, last: String?,
                         thumbnail: String?) -> UnknownsReport.Sighting {
        UnknownsReport.Sighting(
            reference: reference, jobID: 7, jobName: "harbour", inputPath: "footage/\(camera ?? "loose")/clip.mp4",
            inputSHA256: String(repeating: "ab", count: 32), camera: camera, firstPtsMicroseconds: 1_500_000,
            lastPtsMicroseconds: 4_004_000, firstWallClock: first, lastWallClock: last, faces: 12, bestFrame: 42,
            thumbnailPath: thumbnail)
    }

    static func report(thumbnail: String = "thumbs/u2/a.jpg") -> UnknownsReport {
        let seenTwice = UnknownsReport.Person(
            label: "U-17", status: "active", promotedTo: nil,
            sightings: [
                sighting("7/1/3", camera: "gate", first: "2024-05-01T10:00:01.500Z", last: "2024-05-01T10:00:04.004Z",
                         thumbnail: "thumbs/u17/a b#1.jpg"),
                sighting("7/2/9", camera: "dock", first: "2024-05-01T11:00:00.000Z", last: "2024-05-01T11:00:02.000Z",
                         thumbnail: "thumbs/u17/b.jpg"),
            ],
            cameraCount: 2, thumbnails: ["thumbs/u17/a b#1.jpg", "thumbs/u17/b.jpg"])
        let promoted = UnknownsReport.Person(
            label: "U-3", status: "promoted", promotedTo: hostile,
            sightings: [sighting("7/3/1", camera: nil, first: nil, last: nil, thumbnail: thumbnail)],
            cameraCount: 1, thumbnails: [thumbnail])
        return UnknownsReport(generatedAt: "2024-05-02T08:00:00.000Z", jobIDs: [7, 9], threshold: 0.45,
                              persons: [seenTwice, promoted], warnings: ["input footage/x.mp4 changed <since>"])
    }

    func testCSVHasOneRowPerSightingAndQuotesHostileText() throws {
        let text = UnknownsCSVWriter().render(Self.report())
        let rows = try XCTUnwrap(CSVReader.parse(text))
        XCTAssertEqual(rows.first, UnknownsCSVWriter.columns)
        XCTAssertEqual(rows.count, 1 + 3)
        XCTAssertTrue(rows.allSatisfy { $0.count == UnknownsCSVWriter.columns.count })
        func column(_ name: String) -> [String] {
            let i = UnknownsCSVWriter.columns.firstIndex(of: name) ?? 0
            return rows.dropFirst().map { $0[i] }
        }
        XCTAssertEqual(column("person"), ["U-17", "U-17", "U-3"])
        XCTAssertEqual(column("sightings"), ["2", "2", "1"])
        XCTAssertEqual(column("cameras"), ["2", "2", "1"])
        XCTAssertEqual(column("first_pts_ms"), ["1500.000", "1500.000", "1500.000"])
        XCTAssertEqual(column("last_time"), ["00:00:04.004", "00:00:04.004", "00:00:04.004"])
        XCTAssertEqual(column("camera"), ["gate", "dock", ""])
        XCTAssertEqual(column("promoted_to"), ["", "", Self.hostile])
        XCTAssertTrue(text.contains(",\"W: <script>alert(\"\"x\"\")</script>, Doe\","), "comma and quote are quoted")
    }

    func testJSONParsesWithPersonsInOrder() throws {
        let text = UnknownsJSONWriter().render(Self.report())
        XCTAssertEqual(text, UnknownsJSONWriter().render(Self.report()), "output is deterministic")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(json["job_ids"] as? [Int], [7, 9])
        XCTAssertEqual((json["threshold"] as? NSNumber)?.doubleValue, 0.45)
        XCTAssertEqual(json["warnings"] as? [String], ["input footage/x.mp4 changed <since>"])
        let persons = try XCTUnwrap(json["persons"] as? [[String: Any]])
        XCTAssertEqual(persons.compactMap { $0["id"] as? String }, ["U-17", "U-3"])
        XCTAssertEqual(persons.compactMap { $0["sightings_count"] as? Int }, [2, 1])
        XCTAssertEqual(persons.compactMap { $0["cameras"] as? Int }, [2, 1])
        XCTAssertEqual(persons[0]["first_seen"] as? String, "2024-05-01T10:00:01.500Z")
        XCTAssertEqual(persons[0]["last_seen"] as? String, "2024-05-01T11:00:02.000Z")
        XCTAssertTrue(persons[0]["promoted_to"] is NSNull)
        XCTAssertTrue(persons[1]["first_seen"] is NSNull)
        XCTAssertTrue(persons[1]["last_seen"] is NSNull)
        XCTAssertEqual(persons[1]["promoted_to"] as? String, Self.hostile)
        let sightings = try XCTUnwrap(persons[0]["sightings"] as? [[String: Any]])
        XCTAssertEqual(sightings.compactMap { $0["reference"] as? String }, ["7/1/3", "7/2/9"])
        XCTAssertEqual(sightings.compactMap { $0["thumbnail"] as? String }, ["thumbs/u17/a b#1.jpg", "thumbs/u17/b.jpg"])
        // Keys print in the documented order.
        let keys = ["\"generated_at\"", "\"job_ids\"", "\"threshold\"", "\"warnings\"", "\"persons\""]
        let offsets = keys.compactMap { text.range(of: $0)?.lowerBound }
        XCTAssertEqual(offsets.count, keys.count)
        XCTAssertEqual(offsets, offsets.sorted())
    }

    func testHTMLEscapesTextAndShowsEveryThumbnail() throws {
        let html = try UnknownsHTMLWriter().render(Self.report())
        XCTAssertFalse(html.contains("<script"), "a name must never become markup")
        XCTAssertFalse(html.contains("<since>"))
        XCTAssertTrue(html.contains("promoted to W: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, Doe"))
        XCTAssertTrue(html.contains("changed &lt;since&gt;"), "warnings are listed")
        let u17 = try XCTUnwrap(html.range(of: ">U-17 "))
        let u3 = try XCTUnwrap(html.range(of: ">U-3 "))
        XCTAssertLessThan(u17.lowerBound, u3.lowerBound)
        XCTAssertEqual(html.components(separatedBy: "<img ").count - 1, 3)
        XCTAssertTrue(html.contains("src=\"thumbs/u17/a%20b%231.jpg\""))
        XCTAssertTrue(html.contains("2024-05-01T10:00:01.500Z"), "first seen by wall clock")
        XCTAssertTrue(html.contains("job harbour, clip.mp4 at 00:00:01.500"), "first seen without a wall clock")
        XCTAssertFalse(html.contains("http"), "self-contained")
    }

    func testHTMLRejectsThumbnailsOutsideTheReportFolder() {
        let bad = "../etc/passwd"
        XCTAssertThrowsError(try HTMLText.relativeLink(bad))
        XCTAssertThrowsError(try UnknownsHTMLWriter().render(Self.report(thumbnail: bad))) { error in
            XCTAssertEqual(error as? ReportError, .unsafeRelativePath(bad))
        }
    }

    func testReportSetWritesThreeFiles() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("unknowns")
        let urls = try UnknownsReportSet.write(Self.report(), to: target)
        XCTAssertEqual(urls.map(\.lastPathComponent), ["unknowns.csv", "unknowns.json", "unknowns.html"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted(),
                       ["unknowns.csv", "unknowns.html", "unknowns.json"])
        XCTAssertEqual(try String(contentsOf: urls[0], encoding: .utf8), UnknownsCSVWriter().render(Self.report()))
    }

    func testReportSetWritesNothingWhenAThumbnailIsUnsafe() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertThrowsError(try UnknownsReportSet.write(Self.report(thumbnail: "/etc/passwd"), to: dir))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }
}
