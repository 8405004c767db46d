import Foundation
import Reports
import Store
import XCTest
@testable import Jobs

/// The runner on real footage with the real engine and a real PostgreSQL server.
final class RunnerPipelineTests: XCTestCase {
    func testHamiltonClipFindsLinManuelAndTheReportsAgree() throws {
        let scene = try RunnerScene(self)
        let manifest = try ManifestValidator.load(path: RunnerFixtures.writeManifest(in: scene.folder, inputs: [scene.clip]).path)
        let runner = scene.runner()

        let result = try runner.run(manifest, options: RunOptions())
        XCTAssertFalse(result.alreadyFinished)
        XCTAssertEqual(result.job.status, "done")
        XCTAssertEqual(result.exitStatus, .success)
        let jobs = scene.jobs
        let hits = try jobs.hits(jobID: result.job.id)
        let lin = hits.filter { $0.hit.identityName == "Lin-Manuel Miranda" }
        XCTAssertGreaterThan(lin.count, 0, "no hit for Lin-Manuel Miranda")
        for h in hits {
            XCTAssertTrue((0...9_200_000).contains(h.detection.ptsMicroseconds), "hit outside the clip: \(h)")
            XCTAssertEqual(h.detection.frameIndex % 5, 0, "only every 5th frame is sampled")
            XCTAssertLessThanOrEqual(h.hit.distance, 0.6)
        }
        let input = try XCTUnwrap(result.inputs.first)
        XCTAssertEqual(input.framesSampled, 55)
        XCTAssertEqual(input.hits, Int64(hits.count))
        XCTAssertGreaterThanOrEqual(input.faces, input.hits)

        // Reports: every format written, the same hits in each.
        let dir = URL(fileURLWithPath: result.job.reportDirectory)
        XCTAssertEqual(Set(result.reportFiles.map(\.lastPathComponent)), ["hits.csv", "sightings.csv", "hits.json", "report.html"])
        let csv = try String(contentsOf: dir.appendingPathComponent("hits.csv"), encoding: .utf8)
        let csvRows = try XCTUnwrap(CSVReader.parse(csv))
        XCTAssertEqual(csvRows.count - 1, hits.count, "hits.csv rows")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("hits.json"))) as? [String: Any])
        XCTAssertEqual((json["hits"] as? [Any])?.count, hits.count, "hits.json rows")
        let sightings = try jobs.sightings(jobID: result.job.id)
        XCTAssertEqual((json["sightings"] as? [Any])?.count, sightings.count)
        XCTAssertEqual(sightings.reduce(0) { $0 + $1.count }, Int64(hits.count), "every hit belongs to one sighting")
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("Lin-Manuel Miranda"))
        for h in hits {
            let thumb = try XCTUnwrap(h.hit.thumbnail)
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(thumb).path), thumb)
        }

        // A finished job is not run again; its reports regenerate identically from the database.
        let again = try runner.run(manifest, options: RunOptions())
        XCTAssertTrue(again.alreadyFinished)
        XCTAssertEqual(again.job.id, result.job.id)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("hits.csv"))
        try JobReports.write(jobID: result.job.id, jobs: jobs)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("hits.csv"), encoding: .utf8), csv)
    }

    func testACorruptInputAmongGoodOnesMakesThePartialStatusWithTheGoodOneFullyReported() throws {
        let scene = try RunnerScene(self)
        let broken = scene.folder.appendingPathComponent("broken.mp4")
        var noise = SystemRandomNumberGenerator()
        try Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &noise) }).write(to: broken)
        let manifest = try ManifestValidator.load(path: RunnerFixtures.writeManifest(
            in: scene.folder, inputs: [broken.path, scene.clip], every: 10).path)
        let result = try scene.runner().run(manifest, options: RunOptions(workers: 2))
        XCTAssertEqual(result.job.status, "partial")
        XCTAssertEqual(result.exitStatus.rawValue, 2)
        XCTAssertEqual(result.inputs.map(\.status), ["failed", "done"])
        XCTAssertNotNil(result.inputs[0].error)
        XCTAssertEqual(result.inputs[1].framesSampled, 28)
        XCTAssertGreaterThan(result.inputs[1].hits, 0)
        let json = try String(contentsOf: URL(fileURLWithPath: result.job.reportDirectory).appendingPathComponent("hits.json"),
                              encoding: .utf8)
        XCTAssertTrue(json.contains("broken.mp4"), "the failed input is named in the report header")
    }
}
