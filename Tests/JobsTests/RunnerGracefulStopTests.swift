import Foundation
import Store
import TestSupport
import XCTest
@testable import Jobs

/// `facejob worker` stopped by SIGTERM in the middle of an input (as systemd or Kubernetes stop it):
/// it commits the batch in hand, gives the input back at once (no lease left to expire), exits 0,
/// and the job finished afterwards has exactly the hits of an uninterrupted run.
final class RunnerGracefulStopTests: XCTestCase {
    func testSIGTERMStopsAWorkerAtACheckpointReleasesItsLeaseAndExits0() throws {
        let scene = try RunnerScene(self)
        let (jobs, url) = (scene.jobs, scene.db.url)
        let expected = try scene.uninterruptedHits(every: 5)
        let manifest = try RunnerFixtures.writeManifest(in: scene.folder, name: "stopped", inputs: [scene.clip], every: 5)
        let job = try scene.queue(manifest)
        let worker = try FacejobBinary.locate().start(["worker", "--job", "stopped", "--database", url, "--threads", "1"], test: self)

        // Mid-input: the worker holds the lease and has committed a checkpoint, and is not done.
        var held: JobInputRecord?
        let deadline = Date().addingTimeInterval(300)
        while held == nil, worker.isRunning, Date() < deadline {
            held = try jobs.inputs(jobID: job.id).first {
                $0.status == "running" && $0.checkpointSample != nil && ($0.leaseOwner ?? "").contains(":\(worker.pid):")
            }
            if held == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        let seen = try XCTUnwrap(held, "the worker never reached the middle of the input: \(worker.stderr)")
        worker.send(SIGTERM)
        let exit = worker.waitForExit(within: 120)
        XCTAssertEqual(exit, ChildProcess.Running.Exit(exited: true, status: 0), worker.stderr)
        XCTAssertTrue(worker.stderr.contains("facejob worker: stopping"), worker.stderr)

        // Nothing held, nothing lost: the input is pending again from a checkpoint at or after the one seen.
        XCTAssertEqual(try scene.connection.execute("SELECT count(*) FROM job_inputs WHERE lease_owner IS NOT NULL").scalar(Int.self), 0)
        let stopped = try XCTUnwrap(jobs.inputs(jobID: job.id).first)
        XCTAssertEqual(stopped.status, "pending")
        XCTAssertGreaterThanOrEqual(stopped.checkpointSample ?? -1, seen.checkpointSample ?? 0)
        XCTAssertLessThan(stopped.framesSampled, 55, "stopped in the middle of the input")
        // Any worker, on any host, can take it at once (no lease to wait out); this one gives it back.
        let elsewhere = try XCTUnwrap(jobs.claimInput(jobID: job.id, owner: "other-host:1:0", leaseSeconds: 120))
        XCTAssertEqual(elsewhere.checkpointSample, stopped.checkpointSample, "claimed from the stopped worker's checkpoint")
        XCTAssertTrue(try jobs.releaseInput(jobID: job.id, ordinal: elsewhere.ordinal, owner: "other-host:1:0"))

        let rest = try scene.run(["run", manifest.path, "--database", url, "--quiet"])
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertEqual(try jobs.job(id: job.id).status, "done")
        XCTAssertEqual(try JobHitSet.of(jobs, jobID: job.id), expected)
        XCTAssertEqual(try jobs.inputs(jobID: job.id).first?.framesSampled, 55, "every sampled frame committed exactly once")
    }
}
