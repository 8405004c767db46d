import Foundation
import Store
import TestSupport
import XCTest

/// The product's main path with the built binary: register two people, run a manifest over the
/// Hamilton clip, regenerate the reports; hits for Lin-Manuel Miranda at times inside the clip and
/// the same hits in CSV, JSON and HTML.
final class RunHamiltonTests: XCTestCase {
    func testRegisterRunAndReportOnTheHamiltonClip() throws {
        let data = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data").path)
            .appendingPathComponent("video").standardizedFileURL
        let clip = data.appendingPathComponent("short_hamilton_clip.mp4")
        guard FileManager.default.fileExists(atPath: clip.path) else {
            let message = "!!! \(clip.path) is missing: run end-to-end test SKIPPED"
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw XCTSkip(message)
        }
        let binary = try FacejobBinary.locate()
        let url = try TestDatabaseSchema(self, prefix: "e_", purpose: "end-to-end test").url
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-run-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        for (file, name) in [("lin-manuel-miranda.png", "Lin-Manuel Miranda"), ("alex-lacamoire.png", "Alex Lacamoire")] {
            let r = try binary.run(["register", "--database", url, "--watchlist", "hamilton", "--identity", name,
                                    data.appendingPathComponent(file).path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let manifest = folder.appendingPathComponent("hamilton.json")
        try """
            {"name": "hamilton-e2e", "watchlist": "hamilton",
             "inputs": [{"path": "\(clip.path)", "camera": "stage", "recorded_at": "2015-08-06T20:00:00-04:00"}],
             "sampling": {"every_n": 10}, "search": {"method": "exact", "k": 1, "threshold": 0.6},
             "report": {"directory": "reports", "formats": ["csv", "json", "html"], "thumbnails": true}}
            """.write(to: manifest, atomically: true, encoding: .utf8)
        let run = try binary.run(["run", manifest.path, "--database", url])
        XCTAssertEqual(run.status, 0, run.stderr)
        let reports = folder.appendingPathComponent("reports")
        for name in ["hits.csv", "sightings.csv", "hits.json", "report.html"] {
            XCTAssertTrue(run.stdout.contains(reports.appendingPathComponent(name).path), "run lists \(name): \(run.stdout)")
        }
        XCTAssertTrue(run.stderr.contains("status=done"), "log-line progress when not on a terminal: \(run.stderr)")

        // Report structure: the documented CSV columns, one row per hit, the same hits in the JSON.
        let csv = try String(contentsOf: reports.appendingPathComponent("hits.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        XCTAssertEqual(Array(header.prefix(8)), ["job_name", "job_id", "input_path", "input_sha256", "camera", "frame_index",
                                                 "pts_ms", "time"])
        for column in ["identity_name", "distance", "similarity", "rank", "threshold", "track_id", "sighting_id",
                       "thumbnail", "model_name", "model_sha256", "wall_clock", "box_x_norm"] {
            XCTAssertTrue(header.contains(column), column)
        }
        let ptsColumn = try XCTUnwrap(header.firstIndex(of: "pts_ms")), nameColumn = try XCTUnwrap(header.firstIndex(of: "identity_name"))
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let lin = rows.filter { $0[nameColumn] == "Lin-Manuel Miranda" }
        XCTAssertFalse(lin.isEmpty, "no hit for Lin-Manuel Miranda:\n\(csv)")
        for row in lin {
            let ms = try XCTUnwrap(Double(row[ptsColumn]))
            XCTAssertTrue((0...9_200).contains(ms), "hit at \(ms) ms is outside the 9.2 s clip")
        }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: reports.appendingPathComponent("hits.json")))
                                 as? [String: Any])
        XCTAssertEqual((json["hits"] as? [Any])?.count, rows.count)
        let html = try String(contentsOf: reports.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Lin-Manuel Miranda"))

        // Rerun: a no-op that lists the reports; `facejob report` regenerates the same hits.
        let again = try binary.run(["run", manifest.path, "--database", url])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("already finished"), again.stdout)
        try FileManager.default.removeItem(at: reports.appendingPathComponent("hits.csv"))
        let report = try binary.run(["report", "hamilton-e2e", "--database", url])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(try String(contentsOf: reports.appendingPathComponent("hits.csv"), encoding: .utf8), csv)
        let list = try binary.run(["jobs", "list", "--database", url])
        XCTAssertTrue(list.stdout.contains("hamilton-e2e\tdone"), list.stdout)
    }
}
