import Foundation
import XCTest

/// Every documented exit code of `facejob run`, through the built binary: 0 done, 2 partial, 1
/// failed, 64 bad usage, 69 database or models unavailable (bad manifests: `RunManifestTests`;
/// 75: `sweep` only, `RunnerScaleOutTests`; a database lost mid-job: `RunnerDatabaseLossTests`).
final class RunExitCodeTests: XCTestCase {
    func testDonePartialAndFailedJobs() throws {
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        let clip = "{\"path\": \"\(f.clip.path)\"}"

        let done = try f.binary.run(["run", f.manifest("good", inputs: [clip]).path, "--database", f.url])
        XCTAssertEqual(done.status, 0, done.stderr)
        XCTAssertTrue(done.stdout.contains("job 1 \"good\": done"), done.stdout)

        let broken = try f.noise("broken.mp4")
        let partial = try f.binary.run(["run", f.manifest("mixed", inputs: [clip, "{\"path\": \"\(broken.path)\"}"]).path,
                                        "--database", f.url])
        XCTAssertEqual(partial.status, 2, partial.stderr)
        XCTAssertTrue(partial.stderr.contains("facejob: \(broken.path): failed: "), partial.stderr)
        XCTAssertTrue(partial.stdout.contains("reports-mixed/hits.csv"), "reports are written for the rest: \(partial.stdout)")
        XCTAssertTrue(partial.stdout.contains(": partial"), partial.stdout)

        let failed = try f.binary.run(["run", f.manifest("broken", inputs: ["{\"path\": \"\(broken.path)\"}"]).path,
                                       "--database", f.url])
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("facejob: \(broken.path): failed: "), failed.stderr)
        XCTAssertTrue(failed.stdout.contains(": failed"), failed.stdout)
    }

    func testUsageErrorsExit64() throws {
        let f = try EndToEndFixture(self)
        let manifest = try f.manifest("usage", inputs: ["{\"path\": \"\(f.clip.path)\"}"])
        for args in [["run", manifest.path, "--workers", "0"], ["run"], ["run", manifest.path, "--no-such-flag"],
                     ["run", f.folder.appendingPathComponent("missing.json").path]] {
            let r = try f.binary.run(args + ["--database", f.url])
            XCTAssertEqual(r.status, 64, "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.isEmpty, "\(args) says why")
        }
        XCTAssertEqual(try f.count("jobs"), 0)
    }

    func testMissingModelsAndAnUnreachableDatabaseExit69WithoutAJob() throws {
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        let manifest = try f.manifest("unavailable", inputs: ["{\"path\": \"\(f.clip.path)\"}"])

        let empty = f.folder.appendingPathComponent("no-models")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let noModels = try f.binary.run(["run", manifest.path, "--database", f.url], environment: ["FACEJOB_MODELS": empty.path])
        XCTAssertEqual(noModels.status, 69, noModels.stderr)
        XCTAssertTrue(noModels.stderr.contains(empty.path) && noModels.stderr.contains("scripts/setup"), noModels.stderr)
        XCTAssertEqual(try f.count("jobs"), 0, "nothing is written when the engine cannot start")

        let nowhere = "postgresql://facejob@/facejob?host=" + f.folder.appendingPathComponent("no-server").path
        let noDatabase = try f.binary.run(["run", manifest.path, "--database", nowhere])
        XCTAssertEqual(noDatabase.status, 69, noDatabase.stderr)
        XCTAssertTrue(noDatabase.stderr.hasPrefix("facejob: database error while connecting to "), noDatabase.stderr)
        XCTAssertFalse(noDatabase.stderr.contains("Fatal error"), noDatabase.stderr)

        // Once the models and the database are back, the same manifest runs.
        let fine = try f.binary.run(["run", manifest.path, "--database", f.url, "--quiet"])
        XCTAssertEqual(fine.status, 0, fine.stderr)
    }
}
