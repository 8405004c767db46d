import Foundation
import Store
import TestSupport
import XCTest

/// `facejob serve` stopped by SIGTERM while it runs a job submitted with `POST /jobs`: it stops
/// the job at a committed checkpoint, releases the job's lease, exits 0, and the job finished
/// afterwards by a `facejob worker` has exactly the hits of an uninterrupted run.
final class APIShutdownTests: XCTestCase {
    func testSIGTERMStopsTheServersJobAtACheckpointReleasesItsLeaseAndExits0() async throws {
        _ = try APITestServer.requireModels()
        let (video, clip) = try APITestServer.requireClip("API shutdown test")
        let folder = try APITestServer.temporaryFolder(self, "api-shutdown")
        let schema = try TestDatabaseSchema(self, prefix: "api_", purpose: "API shutdown test")
        let server = try ServerProcess.start(self, databaseURL: schema.url, allowedRoots: [folder, video])
        let enrolled = try await server.send("POST", "/register", json: [
            "watchlist": "hamilton", "identity": "Lin-Manuel Miranda", "img": video + "/lin-manuel-miranda.png"])
        XCTAssertEqual(enrolled.status, 200, enrolled.text)
        func manifest(_ name: String) throws -> Data {
            try JSONSerialization.data(withJSONObject: [
                "name": name, "watchlist": "hamilton", "inputs": [["path": clip, "camera": "stage"]], "sampling": ["every_n": 5],
                "workers": 1, "report": ["directory": folder + "/reports-" + name, "formats": ["csv"]],
            ] as [String: Any])
        }
        let submitted = try await server.send("POST", "/jobs", body: try manifest("stopped"))
        XCTAssertEqual(submitted.status, 202, submitted.text)
        let id = Int64(try XCTUnwrap(submitted.json["job_id"] as? Int, submitted.text))

        // Mid-job: the server holds the input's lease and has committed a checkpoint, and is not done.
        let jobs = JobRepository(connection: try schema.connect(migrated: true))
        var held: JobInputRecord?
        let deadline = Date().addingTimeInterval(300)
        while held == nil, server.process.isRunning, Date() < deadline {
            held = try jobs.inputs(jobID: id).first {
                $0.status == "running" && $0.checkpointSample != nil && ($0.leaseOwner ?? "").contains(":\(server.process.pid):")
            }
            if held == nil { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        let seen = try XCTUnwrap(held, "the server's job never reached the middle of its input: \(server.process.stderr)")
        server.process.send(SIGTERM)
        let exit = server.process.waitForExit(within: 120)
        XCTAssertEqual(exit, ChildProcess.Running.Exit(exited: true, status: 0), server.process.stderr)
        XCTAssertTrue(server.process.stderr.contains("facejob serve: stopped gracefully"), server.process.stderr)

        let leases = try schema.connect().execute("SELECT count(*) FROM job_inputs WHERE lease_owner IS NOT NULL").scalar(Int.self)
        XCTAssertEqual(leases, 0, "no lease left held")
        let stopped = try XCTUnwrap(jobs.inputs(jobID: id).first)
        XCTAssertEqual(stopped.status, "pending")
        XCTAssertGreaterThanOrEqual(stopped.checkpointSample ?? -1, seen.checkpointSample ?? 0)
        XCTAssertLessThan(stopped.framesSampled, 55, "stopped in the middle of the input")
        XCTAssertEqual(try jobs.job(id: id).status, "running", "the job waits for the next worker")

        // What an uninterrupted run of the same footage finds, and the stopped job finished by a worker.
        let binary = try FacejobBinary.locate()
        let file = URL(fileURLWithPath: folder + "/uninterrupted.json")
        try manifest("uninterrupted").write(to: file)
        let run = try binary.run(["run", file.path, "--database", schema.url, "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let worker = try binary.run(["worker", "--job", "stopped", "--database", schema.url, "--quiet"])
        XCTAssertEqual(worker.status, 0, worker.stderr)
        XCTAssertEqual(try jobs.job(id: id).status, "done")
        let expected = try JobHitSet.of(jobs, jobID: try jobs.job(named: "uninterrupted").id)
        XCTAssertFalse(expected.isEmpty, "the uninterrupted run found hits")
        XCTAssertEqual(try JobHitSet.of(jobs, jobID: id), expected)
        XCTAssertEqual(try jobs.inputs(jobID: id).first?.framesSampled, 55, "every sampled frame committed exactly once")
    }
}
