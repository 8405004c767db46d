import Foundation
import Store
import TestSupport
import XCTest
@testable import Jobs

/// `facejob worker` processes sharing a job, and sweeps that must not overlap.
final class RunnerScaleOutTests: XCTestCase {
    func testARunAndAWorkerShareAJobAndFindTheHitsOfOneProcess() throws {
        let scene = try RunnerScene(self)
        let (binary, jobs, url) = (try scene.binary, scene.jobs, scene.db.url)
        let copy = scene.folder.appendingPathComponent("second-camera.mp4").path
        try FileManager.default.createSymbolicLink(atPath: copy, withDestinationPath: scene.clip)
        // Batches of 2 here, the binary's default below: hits do not depend on the batch size either.
        let expected = try scene.uninterruptedHits(name: "one-process", inputs: [scene.clip, copy], options: RunOptions(workers: 1))

        let shared = try RunnerFixtures.writeManifest(in: scene.folder, name: "shared", inputs: [scene.clip, copy], every: 10)
        let run = Process()
        run.executableURL = binary
        run.arguments = ["run", shared.path, "--database", url, "--quiet", "--workers", "1"]
        run.standardOutput = FileHandle.nullDevice
        try run.run()
        // The worker joins once the run has opened the job and leased its first input.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let job = try? jobs.job(named: "shared"), job.status == "running",
               try jobs.inputs(jobID: job.id).contains(where: { $0.status == "running" }) { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let worker = Process()
        worker.executableURL = binary
        worker.arguments = ["worker", "--job", "shared", "--database", url, "--threads", "1"]
        let workerErr = Pipe()
        worker.standardError = workerErr
        try worker.run()
        let workerLog = String(decoding: workerErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        worker.waitUntilExit()
        run.waitUntilExit()
        XCTAssertEqual(worker.terminationStatus, 0, workerLog)
        XCTAssertEqual(run.terminationStatus, 0)
        XCTAssertTrue(workerLog.contains("status=done"), "the worker processed an input: \(workerLog)")
        let job = try jobs.job(named: "shared")
        XCTAssertEqual(job.status, "done")
        XCTAssertEqual(try JobHitSet.of(jobs, jobID: job.id), expected)
    }

    /// A fleet on one machine: a run and two workers share a job of four inputs; one worker is
    /// killed (SIGKILL) in the middle of an input. The others take its input over from its last
    /// checkpoint, and the job's hits are exactly those of a single process.
    func testThreeProcessesOneKilledMidInputFindTheHitsOfOne() throws {
        let scene = try RunnerScene(self)
        let (binary, jobs, url) = (try scene.binary, scene.jobs, scene.db.url)
        let inputs = try (0..<4).map { n -> String in
            let copy = scene.folder.appendingPathComponent("camera-\(n).mp4").path
            try FileManager.default.createSymbolicLink(atPath: copy, withDestinationPath: scene.clip)
            return copy
        }
        let expected = try scene.uninterruptedHits(name: "one-process", inputs: inputs, every: 5, options: RunOptions(workers: 1))
        let manifest = try RunnerFixtures.writeManifest(in: scene.folder, name: "fleet", inputs: inputs, every: 5)
        func start(_ args: [String]) throws -> Process {
            let p = Process()
            p.executableURL = binary
            p.arguments = args + ["--database", url]
            p.environment = ProcessInfo.processInfo.environment.merging(["FACEJOB_LEASE_SECONDS": "6"]) { _, new in new }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        let run = try start(["run", manifest.path, "--quiet", "--workers", "1"])
        var deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (try? jobs.job(named: "fleet"))?.status != "running" { Thread.sleep(forTimeInterval: 0.1) }
        let victim = try start(["worker", "--job", "fleet", "--threads", "1", "--lease", "6", "--quiet"])
        let survivor = try start(["worker", "--job", "fleet", "--threads", "1", "--lease", "6", "--quiet"])
        // Kill the victim once it has committed part of an input (a checkpoint) but not finished it.
        let job = try jobs.job(named: "fleet")
        var killed = false
        deadline = Date().addingTimeInterval(120)
        while Date() < deadline, !killed {
            let held = try jobs.inputs(jobID: job.id).first {
                $0.status == "running" && ($0.leaseOwner ?? "").contains(":\(victim.processIdentifier):") && ($0.checkpointSample ?? 0) > 0
            }
            if held != nil {
                kill(victim.processIdentifier, SIGKILL)
                killed = true
            } else if !victim.isRunning {
                break
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        victim.waitUntilExit()
        run.waitUntilExit()
        survivor.waitUntilExit()
        XCTAssertTrue(killed, "the victim was killed in the middle of an input")
        XCTAssertEqual(victim.terminationReason, .uncaughtSignal)
        XCTAssertEqual(run.terminationStatus, 0)
        XCTAssertEqual(survivor.terminationStatus, 0)
        let finished = try jobs.job(named: "fleet")
        XCTAssertEqual(finished.status, "done")
        XCTAssertTrue(try jobs.inputs(jobID: finished.id).allSatisfy { $0.status == "done" })
        XCTAssertEqual(try JobHitSet.of(jobs, jobID: finished.id), expected)
    }

    func testASweepWhoseLockIsHeldExits75AndAFreeOneRecordsItsFootage() throws {
        let scene = try RunnerScene(self)
        let (video, db, connection, folder, url) = (scene.video, scene.db, scene.connection, scene.folder, scene.db.url)
        let root = folder.appendingPathComponent("footage")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: video.appendingPathComponent("short_hamilton_clip.mp4").path,
                                         toPath: root.appendingPathComponent("stage.mp4").path)
        let definition = folder.appendingPathComponent("nightly.json")
        try """
            {"name": "nightly", "watchlist": "hamilton", "roots": [{"path": "footage", "camera": "stage"}],
             "patterns": ["**/*.mp4"], "settle_seconds": 0, "sampling": {"every_n": 10},
             "report": {"directory": "reports", "formats": ["csv", "json", "html"], "thumbnails": false}}
            """.write(to: definition, atomically: true, encoding: .utf8)

        // Another sweep of the same name is running: it holds the lock.
        let other = try db.connect()
        XCTAssertTrue(try other.tryAdvisoryLock(SweepRunner.lockKey("nightly")))
        let locked = try scene.run(["sweep", definition.path, "--database", url, "--quiet"])
        XCTAssertEqual(locked.status, 75, locked.stderr)
        XCTAssertTrue(locked.stderr.contains("already running"), locked.stderr)
        XCTAssertEqual(try JobRepository(connection: connection).jobs().count, 0)
        XCTAssertTrue(try other.advisoryUnlock(SweepRunner.lockKey("nightly")))

        let first = try scene.run(["sweep", definition.path, "--database", url, "--quiet"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let jobs = JobRepository(connection: connection)
        XCTAssertEqual(try jobs.ledger(sweep: "nightly").map { ($0.path as NSString).lastPathComponent }, ["stage.mp4"])
        XCTAssertEqual(try jobs.jobs().map(\.status), ["done"])
        XCTAssertTrue(first.stdout.contains("hits.csv"), first.stdout)

        let second = try scene.run(["sweep", definition.path, "--database", url])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("no new or changed footage"), second.stdout)
        XCTAssertEqual(try jobs.jobs().count, 1)
    }
}
