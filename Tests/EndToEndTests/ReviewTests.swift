import Foundation
import Postgres
import TestSupport
import XCTest

/// Analyst review through the built binary on real footage: decisions on a sighting and on a single
/// hit, each an audit row, never deleted; reports show the newest status; `report --only confirmed`
/// writes a court copy that stands on its own; unknown sightings are usage errors.
final class ReviewTests: XCTestCase {
    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// Rows of a CSV as dictionaries by column (no quoted line breaks in these reports).
    private func rows(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, cells.count == header.count ? cells : cells + Array(repeating: "", count: max(0, header.count - cells.count))))
        }
    }

    func testAReviewCycleIsAuditedAndTheCourtCopyHoldsOnlyConfirmedHits() throws {
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        let manifest = try f.manifest("stage", inputs: ["{\"path\": \"\(f.clip.path)\", \"camera\": \"stage\"}"],
                                      extra: ", \"sampling\": {\"every_n\": 5}")
        var text = try String(contentsOf: manifest, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"sampling\": {\"every_n\": 25}, ", with: "")
            .replacingOccurrences(of: "\"thumbnails\": false", with: "\"thumbnails\": true")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let ran = try f.binary.run(["run", manifest.path, "--database", f.url])
        XCTAssertEqual(ran.status, 0, ran.stderr)
        let reports = f.folder.appendingPathComponent("reports-stage")
        let sightings = try rows(reports.appendingPathComponent("sightings.csv"))
        XCTAssertGreaterThanOrEqual(sightings.count, 2, "Hamilton has several sightings")
        let first = try XCTUnwrap(sightings.first?["sighting_id"]), second = try XCTUnwrap(sightings.last?["sighting_id"])
        XCTAssertTrue(sightings.allSatisfy { $0["review"] == "" }, "nothing reviewed yet")

        // Confirm, reject, confirm again: three audit rows, the last decision is the status.
        for (flag, reason) in [("--confirm", "matches"), ("--reject", "wrong coat"), ("--confirm", "coat seen later")] {
            let r = try f.binary.run(["review", "stage", "--sighting", first, flag, "--reason", reason, "--reviewer", "det. ray",
                                      "--database", f.url])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let audit = try f.admin.execute("""
            SELECT action, actor, details->>'reason' FROM \(f.schema).audit_log WHERE action LIKE 'review.%' ORDER BY id
            """).rows.map { "\(try $0.decode(0, as: String.self))|\(try $0.decode(1, as: String.self))|\(try $0.decode(2, as: String.self))" }
        XCTAssertEqual(audit, ["review.confirmed|det. ray|matches", "review.rejected|det. ray|wrong coat",
                               "review.confirmed|det. ray|coat seen later"])
        let listing = try f.binary.run(["review", "stage", "--json", "--database", f.url])
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let listed = try json(listing.stdout)
        XCTAssertEqual((listed["decisions"] as? [Any])?.count, 3, "decisions are never deleted")
        let reviewed = try XCTUnwrap((listed["sightings"] as? [[String: Any]])?.first { "\($0["sighting_id"] ?? "")" == first })
        XCTAssertEqual((reviewed["review"] as? [String: Any])?["decision"] as? String, "confirmed")

        // The second sighting rejected; one hit of the first rejected on its own.
        XCTAssertEqual(try f.binary.run(["review", "stage", "--sighting", second, "--reject", "--database", f.url]).status, 0)
        let hitsBefore = try rows(reports.appendingPathComponent("hits.csv")).filter { $0["sighting_id"] == first }
        XCTAssertGreaterThanOrEqual(hitsBefore.count, 2, "the first sighting has several hits")
        let lone = try XCTUnwrap(hitsBefore.last)
        let hitRef = "0/\(lone["frame_index"] ?? "")/\(lone["identity_id"] ?? "")"  // the job's one input
        let single = try f.binary.run(["review", "stage", "--hit", hitRef, "--reject", "--reason", "blurred", "--database", f.url])
        XCTAssertEqual(single.status, 0, single.stderr)

        // Reports written afterwards carry the statuses.
        XCTAssertEqual(try f.binary.run(["report", "stage", "--database", f.url]).status, 0)
        let after = try rows(reports.appendingPathComponent("sightings.csv"))
        XCTAssertEqual(after.first { $0["sighting_id"] == first }?["review"], "confirmed")
        XCTAssertEqual(after.first { $0["sighting_id"] == first }?["reviewed_by"], "det. ray")
        XCTAssertEqual(after.first { $0["sighting_id"] == second }?["review"], "rejected")
        let hits = try rows(reports.appendingPathComponent("hits.csv")).filter { $0["sighting_id"] == first }
        XCTAssertEqual(hits.filter { $0["review"] == "rejected" }.map { $0["frame_index"] }, [lone["frame_index"]])
        XCTAssertEqual(hits.filter { $0["review"] == "confirmed" }.count, hits.count - 1)
        let html = try String(contentsOf: reports.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("class=\"review confirmed\"") && html.contains("class=\"review rejected\""))

        // The court copy: only confirmed hits and sightings, with their thumbnails beside them.
        let court = try f.binary.run(["report", "stage", "--only", "confirmed", "--database", f.url])
        XCTAssertEqual(court.status, 0, court.stderr)
        let copy = reports.appendingPathComponent("confirmed")
        let courtHits = try rows(copy.appendingPathComponent("hits.csv"))
        XCTAssertEqual(courtHits.count, hits.count - 1)
        XCTAssertTrue(courtHits.allSatisfy { $0["review"] == "confirmed" })
        XCTAssertEqual(try rows(copy.appendingPathComponent("sightings.csv")).map { $0["sighting_id"] }, [first])
        for h in courtHits {
            let thumb = try XCTUnwrap(h["thumbnail"])
            XCTAssertTrue(FileManager.default.fileExists(atPath: copy.appendingPathComponent(thumb).path), thumb)
        }
        let courtJSON = try json(try String(contentsOf: copy.appendingPathComponent("hits.json"), encoding: .utf8))
        let settings = ((courtJSON["header"] as? [String: Any])?["settings"] as? [String: Any]) ?? [:]
        XCTAssertEqual(settings["report.only"] as? String, "confirmed", "\(settings)")

        // What does not exist is a usage error, and nothing is recorded for it.
        let missing = try f.binary.run(["review", "stage", "--sighting", "999999", "--confirm", "--database", f.url])
        XCTAssertEqual(missing.status, 64, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no sighting 999999"), missing.stderr)
        let mixed = try f.binary.run(["review", "stage", "--sighting", first, "--sighting", "999999", "--reject", "--database", f.url])
        XCTAssertEqual(mixed.status, 64)
        XCTAssertEqual(try f.admin.execute("SELECT count(*) FROM \(f.schema).reviews").scalar(Int.self), 5,
                       "a batch with an unknown sighting records nothing")
        XCTAssertEqual(try f.binary.run(["review", "stage", "--hit", "0/1/2", "--confirm", "--database", f.url]).status, 64)
    }
}
