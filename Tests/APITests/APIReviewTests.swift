import Foundation
import XCTest

/// `PATCH /jobs/{id}/sightings/{sid}` over real HTTP: a decision recorded with an audit row, shown
/// by the job's report files; unknown sightings 404, bad decisions 400.
final class APIReviewTests: XCTestCase {
    func testASightingIsConfirmedThenRejectedOverTheAPI() async throws {
        let models = try APITestServer.requireModels()
        let (video, clip) = try APITestServer.requireClip("API review test")
        let tmp = try APITestServer.temporaryFolder(self, "api-review")
        let server = try await APITestServer(self, allowedRoots: [tmp, video], models: models)
        let lin = try await server.send("POST", "/register", json: [
            "watchlist": "cast", "identity": "lin-manuel-miranda", "img": video + "/lin-manuel-miranda.png"])
        XCTAssertEqual(lin.status, 200, lin.text)
        let id = try await server.runJob([
            "name": "stage", "watchlist": "cast", "inputs": [["path": clip]], "sampling": ["every_n": 25], "workers": 1,
            "report": ["directory": tmp + "/reports", "formats": ["json"], "thumbnails": false],
        ])
        let confirmed = try await server.send("PATCH", "/jobs/\(id)/sightings/1", json: ["decision": "confirmed", "reason": "face"])
        XCTAssertEqual(confirmed.status, 200, confirmed.text)
        XCTAssertEqual(confirmed.json["decision"] as? String, "confirmed")
        XCTAssertTrue((confirmed.json["reviewer"] as? String)?.hasPrefix("api:") == true, confirmed.text)
        let rejected = try await server.send("PATCH", "/jobs/\(id)/sightings/1", json: ["decision": "rejected"])
        XCTAssertEqual(rejected.status, 200, rejected.text)
        XCTAssertEqual(try server.admin.execute("SELECT count(*) FROM \(server.schema).audit_log WHERE action LIKE 'review.%'")
            .scalar(Int.self), 2)
        // The report file, written afresh from the database, shows the newest decision.
        try? FileManager.default.removeItem(atPath: tmp + "/reports/hits.json")
        let report = try await server.send("GET", "/jobs/\(id)/hits.json")
        XCTAssertEqual(report.status, 200)
        let sightings = try XCTUnwrap(report.json["sightings"] as? [[String: Any]])
        let first = try XCTUnwrap(sightings.first { $0["sighting_id"] as? Int == 1 })
        XCTAssertEqual((first["review"] as? [String: Any])?["decision"] as? String, "rejected")

        for (path, body, code) in [("/jobs/\(id)/sightings/999", ["decision": "confirmed"], 404),
                                   ("/jobs/\(id)/sightings/x", ["decision": "confirmed"], 404),
                                   ("/jobs/999999/sightings/1", ["decision": "confirmed"], 404),
                                   ("/jobs/\(id)/sightings/1", ["decision": "maybe"], 400),
                                   ("/jobs/\(id)/sightings/1", ["reason": "no decision"], 400)] as [(String, [String: Any], Int)] {
            let r = try await server.send("PATCH", path, json: body)
            XCTAssertEqual(r.status, code, "\(path) \(body): \(r.text)")
        }
    }
}
