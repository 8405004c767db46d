import Foundation
import XCTest

/// Unknown persons over real HTTP: a job that asks for `unknowns` groups its unmatched faces,
/// `GET /unknowns` lists them with filters, `POST /unknowns/{id}/promote` enrols one (creating the
/// watchlist), and bad requests are refused with the right status.
final class APIUnknownsTests: XCTestCase {
    func testAJobGroupsItsUnknownsAndOneIsPromoted() async throws {
        let models = try APITestServer.requireModels()
        let (video, clip) = try APITestServer.requireClip("API unknowns test")
        let tmp = try APITestServer.temporaryFolder(self, "api-unknowns")
        let server = try await APITestServer(self, allowedRoots: [tmp, video], models: models)
        // Alex Lacamoire is enrolled; everyone else on stage is unknown.
        let alex = try await server.send("POST", "/register", json: [
            "watchlist": "cast", "identity": "alex-lacamoire", "img": video + "/alex-lacamoire.png"])
        XCTAssertEqual(alex.status, 200, alex.text)
        let id = try await server.runJob([
            "name": "stage", "watchlist": "cast", "inputs": [["path": clip, "camera": "stage"]], "sampling": ["every_n": 5],
            "workers": 1, "unknowns": ["enabled": true, "min_faces": 2],
            "report": ["directory": tmp + "/reports", "formats": ["json"], "thumbnails": false],
        ])
        XCTAssertTrue(FileManager.default.fileExists(atPath: tmp + "/reports/unknowns/unknowns.json"),
                      "\((try? FileManager.default.subpathsOfDirectory(atPath: tmp)) ?? [])")

        let listed = try await server.send("GET", "/unknowns?job=\(id)")
        XCTAssertEqual(listed.status, 200, listed.text)
        let persons = try XCTUnwrap(listed.json["persons"] as? [[String: Any]], listed.text)
        XCTAssertFalse(persons.isEmpty, listed.text)
        let counts = persons.compactMap { $0["sightings"] as? Int }
        XCTAssertEqual(counts, counts.sorted(by: >), "most sightings first (one camera)")
        XCTAssertTrue(persons.allSatisfy { ($0["camera_names"] as? [String]) == ["stage"] })
        let elsewhere = try await server.send("GET", "/unknowns?camera=lobby")
        XCTAssertEqual((elsewhere.json["persons"] as? [Any])?.count, 0, elsewhere.text)
        let frequent = try await server.send("GET", "/unknowns?min_sightings=1000")
        XCTAssertEqual((frequent.json["persons"] as? [Any])?.count, 0, frequent.text)

        let person = try XCTUnwrap(persons.first?["id"] as? String)
        let promoted = try await server.send("POST", "/unknowns/\(person)/promote",
                                             json: ["watchlist": "found", "identity": "stage regular", "faces": 3])
        XCTAssertEqual(promoted.status, 200, promoted.text)
        XCTAssertEqual(promoted.json["watchlist"] as? String, "found")
        XCTAssertLessThanOrEqual((promoted.json["face_ids"] as? [Any])?.count ?? 0, 3)
        XCTAssertGreaterThan((promoted.json["face_ids"] as? [Any])?.count ?? 0, 0, promoted.text)
        let after = try await server.send("GET", "/unknowns?job=\(id)")
        let status2 = (after.json["persons"] as? [[String: Any]])?.first { $0["id"] as? String == person }?["status"] as? String
        XCTAssertEqual(status2, "promoted")
        let identities = try await server.send("GET", "/watchlists/found/identities")
        XCTAssertTrue(identities.text.contains("stage regular"), identities.text)

        for (path, body, code) in [("/unknowns/U-999999/promote", ["watchlist": "found", "identity": "x"], 404),
                                   ("/unknowns/nobody/promote", ["watchlist": "found", "identity": "x"], 400),
                                   ("/unknowns/\(person)/promote", ["watchlist": "found"], 400),
                                   ("/unknowns/\(person)/promote", ["watchlist": "found", "identity": " "], 400)]
            as [(String, [String: Any], Int)] {
            let r = try await server.send("POST", path, json: body)
            XCTAssertEqual(r.status, code, "\(path) \(body): \(r.text)")
        }
        let bad = try await server.send("GET", "/unknowns?min_sightings=zero")
        XCTAssertEqual(bad.status, 400, bad.text)
        let unknownJob = try await server.send("GET", "/unknowns?job=no-such-job")
        XCTAssertEqual(unknownJob.status, 404, unknownJob.text)
    }
}
