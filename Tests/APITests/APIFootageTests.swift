import Foundation
import XCTest

/// The stored-footage routes over real HTTP: a finished job rescanned after a new enrolment
/// (`POST /jobs/{id}/rescan`) and query by example (`POST /footage/search`), with their refusals.
final class APIFootageTests: XCTestCase {
    func testRescanAJobAfterEnrolmentAndSearchTheStoredFootage() async throws {
        let models = try APITestServer.requireModels()
        let (video, clip) = try APITestServer.requireClip("API footage test")
        let tmp = try APITestServer.temporaryFolder(self, "api-footage")
        let server = try await APITestServer(self, allowedRoots: [tmp, video], models: models)
        let alex = try await server.send("POST", "/register", json: [
            "watchlist": "cast", "identity": "alex-lacamoire", "img": video + "/alex-lacamoire.png"])
        XCTAssertEqual(alex.status, 200, alex.text)
        let id = try await server.runJob([
            "name": "stage", "watchlist": "cast", "inputs": [["path": clip, "camera": "stage"]], "sampling": ["every_n": 25],
            "workers": 1, "report": ["directory": tmp + "/reports", "formats": ["csv", "json"]],
        ])

        let lin = try await server.send("POST", "/register", json: [
            "watchlist": "cast", "identity": "lin-manuel-miranda", "img": video + "/lin-manuel-miranda.png"])
        XCTAssertEqual(lin.status, 200, lin.text)
        let rescan = try await server.send("POST", "/jobs/\(id)/rescan", json: ["watchlist": "cast"])
        XCTAssertEqual(rescan.status, 200, rescan.text)
        XCTAssertEqual(rescan.json["status"] as? String, "done", rescan.text)
        XCTAssertGreaterThan(rescan.json["hits"] as? Int ?? 0, 0, rescan.text)
        let reports = try XCTUnwrap(rescan.json["reports"] as? [String], rescan.text)
        let hits = try String(contentsOfFile: try XCTUnwrap(reports.first { $0.hasSuffix("hits.csv") }), encoding: .utf8)
        XCTAssertTrue(hits.contains("lin-manuel-miranda"), hits)
        XCTAssertTrue(reports.allSatisfy { $0.hasPrefix(tmp) }, "the rescan's reports sit beside the job's: \(reports)")
        let again = try await server.send("POST", "/jobs/\(id)/rescan", json: ["watchlist": "cast"])
        XCTAssertEqual(again.json["already_finished"] as? Bool, true, again.text)
        XCTAssertEqual(again.json["rescan"] as? String, rescan.json["rescan"] as? String)

        let photo = try await server.send("POST", "/footage/search", json: ["img": video + "/lin-manuel-miranda.png", "k": 3])
        XCTAssertEqual(photo.status, 200, photo.text)
        let sightings = try XCTUnwrap((photo.json["results"] as? [[[String: Any]]])?.first, photo.text)
        XCTAssertFalse(sightings.isEmpty, photo.text)
        XCTAssertEqual(sightings.first?["camera"] as? String, "stage")
        XCTAssertLessThanOrEqual(sightings.count, 3)
        let reference = try XCTUnwrap(sightings.first?["detection"] as? String)
        let byDetection = try await server.send("POST", "/footage/search", json: ["detection": reference])
        XCTAssertEqual(byDetection.status, 200, byDetection.text)
        XCTAssertEqual(((byDetection.json["results"] as? [[[String: Any]]])?.first?.first?["distance"] as? Double), 0)

        for (body, code) in [(["detection": "\(id)/0/999999/0"], 404), (["detection": "nonsense"], 400),
                             (["img": video + "/lin-manuel-miranda.png", "detection": reference], 400),
                             (["embedding": [0.1, 0.2]], 400), (["sighting": "\(id)/1", "k": 0], 400)] as [([String: Any], Int)] {
            let r = try await server.send("POST", "/footage/search", json: body)
            XCTAssertEqual(r.status, code, "\(body): \(r.text)")
        }
        let unknownJob = try await server.send("POST", "/jobs/987654/rescan", json: ["watchlist": "cast"])
        XCTAssertEqual(unknownJob.status, 404, unknownJob.text)
        let unknownWatchlist = try await server.send("POST", "/jobs/\(id)/rescan", json: ["watchlist": "nobody"])
        XCTAssertEqual(unknownWatchlist.status, 404, unknownWatchlist.text)
        let outside = try await server.send("POST", "/jobs/\(id)/rescan", json: ["watchlist": "cast", "report_dir": "/etc/facejob"])
        XCTAssertEqual(outside.status, 403, outside.text)
    }
}
