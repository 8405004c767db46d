import Foundation
import Store
import XCTest
@testable import Jobs

/// Leases outlive slow batches: a heartbeat renews them while a batch is analysed, so a second
/// worker cannot take an input from a live worker, however long its batch; once that worker is
/// killed (-9) the heartbeat stops, the lease runs out and another worker resumes the input from
/// its checkpoint.
final class RunnerLeaseTests: XCTestCase {
    func testAHeartbeatKeepsASlowBatchsLeaseAndAKilledWorkersInputIsResumedElsewhere() throws {
        let scene = try RunnerScene(self)
        let (connection, jobs, clip, url) = (scene.connection, scene.jobs, scene.clip, scene.db.url)
        let lease = 0.5  // short enough that the first batch outlasts it several times even on a fast machine
        var environment = ProcessInfo.processInfo.environment
        environment["FACEJOB_LEASE_SECONDS"] = String(lease)

        // Every frame of the first 7 s (210 frames) in batches of 150, detected down to 12-px faces (the
        // slowest setting): the first batch takes many leases even on a machine twice this one's speed.
        let manifest = try RunnerFixtures.writeManifest(in: scene.folder, name: "slow-batches", inputs: [clip], every: 1,
                                                        extra: ", \"workers\": 1, \"detector\": {\"min_face\": 12}")
        var text = try String(contentsOf: manifest, encoding: .utf8)
        text = text.replacingOccurrences(of: "{\"every_n\": 1}", with: "{\"every_n\": 1, \"window\": {\"to\": 7}}")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let run = Process()
        run.executableURL = try scene.binary
        run.arguments = ["run", manifest.path, "--database", url, "--quiet", "--batch-size", "150"]
        run.environment = environment
        run.standardOutput = FileHandle.nullDevice
        run.standardError = FileHandle.nullDevice
        try run.run()
        var killed = false
        defer { if !killed { kill(run.processIdentifier, SIGKILL); run.waitUntilExit() } }
        let owner = "\(WorkerIdentity.host):\(run.processIdentifier):0"

        func input() throws -> JobInputRecord? {
            guard let job = try? jobs.job(named: "slow-batches") else { return nil }
            return try jobs.inputs(jobID: job.id).first
        }
        func waitFor(_ what: String, timeout: Double = 300, _ condition: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while try !condition() {
                guard Date() < deadline, run.isRunning || killed else { return XCTFail("timed out waiting for \(what)") }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        try waitFor("the run to lease its input") { try input()?.leaseOwner == owner }

        // While the first batch is analysed (no commit yet), other workers find nothing to claim.
        let claimedAt = Date()
        var attempts = 0
        while try input()?.checkpointSample == nil && run.isRunning {
            let stolen = try jobs.claimInput(jobID: nil, owner: "elsewhere:1:0", leaseSeconds: lease)
            XCTAssertNil(stolen, "a second worker took the input from a live worker")
            if stolen != nil { break }
            attempts += 1
            if attempts == 2 {
                let worker = try scene.run(["worker", "--job", "slow-batches", "--database", url, "--threads", "1"],
                                           environment: environment)
                XCTAssertEqual(worker.status, 0, worker.stderr)
                XCTAssertFalse(worker.stderr.contains("status="), "the worker processed the leased input: \(worker.stderr)")
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        let firstBatch = Date().timeIntervalSince(claimedAt)
        XCTAssertGreaterThan(firstBatch, 3 * lease, "the first batch must outlast its lease for this test to mean anything")
        XCTAssertEqual(try input()?.leaseOwner, owner)
        XCTAssertEqual(try input()?.checkpointSample, 149)

        // kill -9 after the first commit: the heartbeat stops and the lease runs out.
        kill(run.processIdentifier, SIGKILL)
        run.waitUntilExit()
        killed = true
        let checkpoint = try XCTUnwrap(input()?.checkpointSample)
        XCTAssertLessThan(checkpoint, 209, "killed mid-input")
        try waitFor("the dead worker's lease to expire", timeout: 10 * lease) {
            try connection.execute("SELECT lease_expires < now() FROM job_inputs WHERE path = $1", [.text(clip)]).scalar(Bool.self)
        }

        // Another worker resumes the input from the checkpoint and finishes the job.
        let worker = try scene.run(["worker", "--job", "slow-batches", "--database", url, "--threads", "1"],
                                   environment: environment)
        XCTAssertEqual(worker.status, 0, worker.stderr)
        XCTAssertTrue(worker.stderr.contains("status=done"), worker.stderr)
        let done = try XCTUnwrap(input())
        XCTAssertEqual(done.status, "done")
        XCTAssertEqual(done.framesSampled, 210, "every sampled frame committed exactly once")
        XCTAssertEqual(try jobs.job(named: "slow-batches").status, "done")
        let duplicates = try connection.execute("""
            SELECT count(*) FROM (SELECT frame_index, detection_index FROM job_detections
                                  GROUP BY 1, 2 HAVING count(*) > 1) d
            """).scalar(Int.self)
        XCTAssertEqual(duplicates, 0)
    }
}
