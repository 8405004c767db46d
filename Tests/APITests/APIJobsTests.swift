import Common
import Foundation
import XCTest

/// The jobs routes over real HTTP: submit a manifest, poll it to its end, fetch the reports; and
/// the refusals (outside the allowed roots, malformed manifest, unknown job) that write nothing.
final class APIJobsTests: XCTestCase {
    var video: String { (ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"] ?? "/work/shared/data") + "/video" }

    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "facejob-api-jobs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func manifest(name: String, input: String, reports: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: [
            "name": name, "watchlist": "cast", "inputs": [["path": input, "recorded_at": "2026-11-28T21:30:00Z"]], "sampling": ["every_n": 25],
            "workers": 1, "report": ["directory": reports, "formats": ["csv", "json"]],
        ] as [String: Any])
    }

    func testSubmitPollAndFetchReports() async throws {
        let models = try APITestServer.requireModels()
        let clip = video + "/short_hamilton_clip.mp4"
        guard FileManager.default.fileExists(atPath: clip) else {
            let message = "!!! \(clip) not found; set FACEJOB_TEST_DATA: API jobs test SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        let tmp = try scratch()
        // A copy of the footage, so that the test can change it after the job.
        let footage = tmp + "/hamilton.mp4"
        try FileManager.default.copyItem(atPath: clip, toPath: footage)
        let server = try await APITestServer(self, allowedRoots: [tmp, video], models: models)
        let enrolled = try await server.send("POST", "/register", json: [
            "watchlist": "cast", "identity": "lin-manuel-miranda", "img": video + "/lin-manuel-miranda.png"])
        XCTAssertEqual(enrolled.status, 200, enrolled.text)
        XCTAssertEqual(enrolled.json["inserted"] as? Int, 1, enrolled.text)

        let body = try manifest(name: "hamilton", input: footage, reports: tmp + "/reports")
        let submitted = try await server.send("POST", "/jobs", body: body)
        XCTAssertEqual(submitted.status, 202, submitted.text)
        let id = try XCTUnwrap(submitted.json["job_id"] as? Int, submitted.text)
        XCTAssertEqual(submitted.json["name"] as? String, "hamilton")

        var status = try await server.send("GET", "/jobs/\(id)")
        if status.json["finished"] as? Bool == false {
            let early = try await server.send("GET", "/jobs/\(id)/hits.csv")
            XCTAssertEqual(early.status, 409, early.text)
        }
        let deadline = Date().addingTimeInterval(900)
        while status.json["finished"] as? Bool != true, Date() < deadline {
            try await Task.sleep(nanoseconds: 1_000_000_000)
            status = try await server.send("GET", "/jobs/\(id)")
        }
        XCTAssertEqual(status.status, 200, status.text)
        XCTAssertEqual(status.json["status"] as? String, "done", status.text)
        XCTAssertGreaterThanOrEqual(status.json["runs"] as? Int ?? 0, 1, status.text)
        let inputs = try XCTUnwrap(status.json["inputs"] as? [[String: Any]], status.text)
        XCTAssertEqual(inputs.count, 1)
        XCTAssertEqual(inputs.first?["path"] as? String, footage)
        XCTAssertEqual((inputs.first?["sha256"] as? String)?.count, 64)
        XCTAssertEqual(inputs.first?["status"] as? String, "done")
        XCTAssertGreaterThan(inputs.first?["frames_sampled"] as? Int ?? 0, 0, status.text)
        // The job ran in the server and measured itself into the server's registry.
        let metrics = try await server.send("GET", "/metrics")
        XCTAssertTrue(metrics.text.contains("facejob_frames_analysed_total \(inputs.first?["frames_sampled"] as? Int ?? -1)\n"),
                      metrics.text)
        XCTAssertTrue(metrics.text.contains("facejob_inputs_finished_total{status=\"done\"} 1\n"), metrics.text)

        let csv = try await server.send("GET", "/jobs/\(id)/hits.csv")
        XCTAssertEqual(csv.status, 200, csv.text)
        XCTAssertEqual((csv.headers["Content-Type"] as? String)?.hasPrefix("text/csv"), true)
        let rows = csv.text.split(separator: "\n").dropFirst().filter { $0.contains("lin-manuel-miranda") }
        XCTAssertGreaterThan(rows.count, 0, "no Lin-Manuel hits in hits.csv:\n\(csv.text)")
        let json = try await server.send("GET", "/jobs/\(id)/hits.json")
        XCTAssertEqual(json.status, 200, json.text)
        XCTAssertTrue(json.text.contains("lin-manuel-miranda"))
        // The recording start and where it came from reach the report as they do through `facejob run`.
        let header = try XCTUnwrap(json.json["header"] as? [String: Any], json.text)
        let reported = try XCTUnwrap((header["inputs"] as? [[String: Any]])?.first, json.text)
        XCTAssertEqual(reported["recorded_at_source"] as? String, "manifest recorded_at", json.text)
        let html = try await server.send("GET", "/jobs/\(id)/report.html")
        XCTAssertEqual(html.status, 404, "the manifest asks for csv and json only: \(html.text)")
        let bogus = try await server.send("GET", "/jobs/\(id)/passwd")
        XCTAssertEqual(bogus.status, 404, bogus.text)

        let again = try await server.send("POST", "/jobs", body: body)
        XCTAssertEqual(again.status, 202, again.text)
        XCTAssertEqual(again.json["job_id"] as? Int, id)
        XCTAssertEqual(again.json["status"] as? String, "done")
        XCTAssertEqual(try server.admin.execute("SELECT count(*) FROM jobs").scalar(Int.self), 1)

        // The footage changes under the finished job: resubmitting it is a conflict, not its old reports.
        try Data(try Data(contentsOf: URL(fileURLWithPath: clip)).prefix(100_000)).write(to: URL(fileURLWithPath: footage))
        let changed = try await server.send("POST", "/jobs", body: body)
        XCTAssertEqual(changed.status, 409, changed.text)
        XCTAssertTrue(changed.error.contains(footage) && changed.error.contains("has changed"), changed.text)
        let bogusForce = try await server.send("POST", "/jobs?force=yes", body: body)
        XCTAssertEqual(bogusForce.status, 400, bogusForce.text)

        // force=true searches the footage as it is now (here a cut-off copy the decoder refuses).
        let forced = try await server.send("POST", "/jobs?force=true", body: body)
        XCTAssertEqual(forced.status, 202, forced.text)
        XCTAssertEqual(forced.json["job_id"] as? Int, id)
        var rerun = try await server.send("GET", "/jobs/\(id)")
        let rerunDeadline = Date().addingTimeInterval(300)
        while rerun.json["finished"] as? Bool != true || rerun.json["runs"] as? Int ?? 0 < 2, Date() < rerunDeadline {
            try await Task.sleep(nanoseconds: 200_000_000)
            rerun = try await server.send("GET", "/jobs/\(id)")
        }
        XCTAssertEqual(rerun.json["runs"] as? Int, 2, rerun.text)
        XCTAssertEqual(rerun.json["status"] as? String, "failed", rerun.text)
        let now = try SHA256Hex.file(at: footage)
        XCTAssertEqual((rerun.json["inputs"] as? [[String: Any]])?.first?["sha256"] as? String, now, rerun.text)
    }

    func testRefusalsWriteNothing() async throws {
        let tmp = try scratch()
        let server = try await APITestServer(self, allowedRoots: [tmp])
        let outside = try await server.send("POST", "/jobs", body: try manifest(
            name: "outside", input: video + "/short_hamilton_clip.mp4", reports: tmp + "/reports"))
        XCTAssertEqual(outside.status, 403, outside.text)
        let traversal = try await server.send("POST", "/jobs", body: try manifest(
            name: "traversal", input: tmp + "/../../etc/passwd", reports: tmp + "/reports"))
        XCTAssertTrue([403, 400].contains(traversal.status), traversal.text)
        try Data("not a video; only its place is checked".utf8).write(to: URL(fileURLWithPath: tmp + "/clip.mp4"))
        let reportsOut = try await server.send("POST", "/jobs", body: try manifest(
            name: "reports-out", input: tmp + "/clip.mp4", reports: tmp + "/../../etc/facejob"))
        XCTAssertEqual(reportsOut.status, 403, reportsOut.text)
        XCTAssertTrue(reportsOut.error.contains("report directory"), reportsOut.text)

        let malformed = try await server.send("POST", "/jobs", body: Data(#"{"name": 5, "watchlist": "cast", "inputs": [], "samplng": {}}"#.utf8))
        XCTAssertEqual(malformed.status, 400, malformed.text)
        XCTAssertTrue(malformed.error.contains("/name"), malformed.text)
        XCTAssertTrue(malformed.error.contains("/samplng"), malformed.text)
        let notJSON = try await server.send("POST", "/jobs", body: Data("name: x".utf8))
        XCTAssertEqual(notJSON.status, 400, notJSON.text)
        XCTAssertEqual(try server.admin.execute("SELECT count(*) FROM jobs").scalar(Int.self), 0)

        let unknown = try await server.send("GET", "/jobs/987654")
        XCTAssertEqual(unknown.status, 404, unknown.text)
        let notNumber = try await server.send("GET", "/jobs/abc")
        XCTAssertEqual(notNumber.status, 404, notNumber.text)
        let noReport = try await server.send("GET", "/jobs/987654/hits.csv")
        XCTAssertEqual(noReport.status, 404, noReport.text)
        let noAuth = try await server.send("GET", "/jobs/987654", token: nil)
        XCTAssertEqual(noAuth.status, 401)
    }
}
