import Foundation
import Store
import TestSupport
import XCTest
@testable import Jobs

/// The database goes away in the middle of a job (its server ends every session of the run):
/// `facejob run` stops with exit 69 and a one-line reason, and a rerun resumes from the last
/// committed batch and ends with exactly the hits of an uninterrupted run.
final class RunnerDatabaseLossTests: XCTestCase {
    func testAJobWhoseDatabaseGoesAwayExits69AndResumesWithNothingLost() throws {
        let scene = try RunnerScene(self)
        let (db, connection, jobs) = (scene.db, scene.connection, scene.jobs)
        let expected = try scene.uninterruptedHits()

        // The run's sessions carry their own application name, so only they are ended.
        let application = "lost-\(UUID().uuidString.prefix(8))"
        let url = db.baseURL + (db.baseURL.contains("?") ? "&" : "?")
            + "options=-csearch_path%3D\(db.name)&application_name=\(application)"
        let manifest = try RunnerFixtures.writeManifest(in: scene.folder, name: "lost", inputs: [scene.clip], every: 10)
        let run = Process()
        run.executableURL = try scene.binary
        run.arguments = ["run", manifest.path, "--database", url, "--quiet", "--batch-size", "2"]
        run.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        run.standardError = stderr
        try run.run()
        let started = Date()
        var terminated = 0
        while run.isRunning && Date().timeIntervalSince(started) < 300 {
            let checkpoint = (try? jobs.job(named: "lost")).flatMap { (try? jobs.inputs(jobID: $0.id))?.first?.checkpointSample }
            if let checkpoint, checkpoint >= 7 {
                terminated = try connection.execute("""
                    SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                          WHERE application_name = $1) t
                    """, [.text(application)]).scalar(Int.self)
                break
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        XCTAssertGreaterThan(terminated, 0, "the run's sessions were ended")
        XCTAssertEqual(run.terminationStatus, 69, message)
        XCTAssertTrue(message.hasPrefix("facejob: database error"), message)
        let lost = try XCTUnwrap(jobs.inputs(jobID: jobs.job(named: "lost").id).first)
        XCTAssertNotEqual(lost.status, "done")
        XCTAssertLessThan(lost.framesSampled, 28, "the job was interrupted mid-input")

        let rerun = try scene.run(["run", manifest.path, "--database", url, "--quiet"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let job = try jobs.job(named: "lost")
        XCTAssertEqual(job.status, "done")
        XCTAssertEqual(try jobs.inputs(jobID: job.id).first?.framesSampled, 28, "every sampled frame committed exactly once")
        XCTAssertEqual(try JobHitSet.of(jobs, jobID: job.id), expected)
    }
}
