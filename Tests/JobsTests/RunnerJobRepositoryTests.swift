import Common
import Foundation
import Store
import XCTest

/// Job state on a real PostgreSQL server: job identity, lease claims, all-or-nothing batch commits.
final class RunnerJobRepositoryTests: XCTestCase {
    private func inputs(_ n: Int) -> [NewJobInput] {
        (0..<n).map { NewJobInput(path: "/footage/cam\($0).mp4", sha256: String(repeating: "\($0 % 10)", count: 64),
                                  sizeBytes: 1000 + Int64($0), modifiedNanoseconds: 42, camera: "cam\($0)") }
    }

    private func open(_ jobs: JobRepository, hash: String = String(repeating: "a", count: 64), count: Int = 3) throws -> JobRecord {
        let (job, _) = try jobs.openJob(name: "case-1", manifestHash: hash, manifestJSON: "{}", baseDirectory: "/m",
                                        reportDirectory: "/r", inputs: inputs(count))
        try jobs.startRun(jobID: job.id, reset: false, modelsJSON: "[]")
        return job
    }

    private func batch(_ job: JobRecord, input: Int, owner: String, samples: ClosedRange<Int64>, track: Int64 = 1) -> JobBatch {
        let detections = samples.map {
            DetectionRow(frameIndex: $0 * 5, sampleOrdinal: $0, ptsMicroseconds: $0 * 200_000, detectionIndex: 0,
                         box: PixelBox(x: 10, y: 20, width: 30, height: 40), score: 0.99, trackID: track, embedding: [Float](repeating: Float($0), count: 128))
        }
        let hits = samples.map {
            HitRow(frameIndex: $0 * 5, detectionIndex: 0, identityID: 7, identityName: "Lin-Manuel Miranda", externalID: "X1",
                   faceID: 3, distance: 0.4, similarity: 0.9, rank: 1, threshold: 0.6, thumbnail: nil)
        }
        return JobBatch(jobID: job.id, inputOrdinal: input, owner: owner, detections: detections, hits: hits,
                        checkpointMs: samples.upperBound * 200, checkpointSample: samples.upperBound, nextTrackID: track + 1,
                        frames: Int64(samples.count), damagedFrames: 0, frameWidth: 640, frameHeight: 360, seconds: 0.5)
    }

    func testSameNameAndManifestHashIsTheSameJob() throws {
        let db = try RunnerTestSchema(self)
        let jobs = JobRepository(connection: try db.connect())
        let first = try jobs.openJob(name: "case-1", manifestHash: String(repeating: "a", count: 64), manifestJSON: "{}",
                                     baseDirectory: "/m", reportDirectory: "/r", inputs: inputs(2))
        let again = try jobs.openJob(name: "case-1", manifestHash: String(repeating: "a", count: 64), manifestJSON: "{}",
                                     baseDirectory: "/m", reportDirectory: "/r", inputs: inputs(2))
        let other = try jobs.openJob(name: "case-1", manifestHash: String(repeating: "b", count: 64), manifestJSON: "{}",
                                     baseDirectory: "/m", reportDirectory: "/r", inputs: inputs(2))
        XCTAssertTrue(first.created)
        XCTAssertFalse(again.created)
        XCTAssertEqual(first.job.id, again.job.id)
        XCTAssertNotEqual(first.job.id, other.job.id)
        XCTAssertEqual(try jobs.inputs(jobID: first.job.id).map(\.file.path), ["/footage/cam0.mp4", "/footage/cam1.mp4"])
        XCTAssertEqual(try jobs.job(named: "case-1").id, other.job.id, "a name means its newest job")
        XCTAssertEqual(try jobs.job(named: String(first.job.id)).id, first.job.id)
        XCTAssertThrowsError(try jobs.job(named: "nope")) { XCTAssertEqual(($0 as? JobStoreError), .unknownJob("nope")) }
    }

    func testClaimsNeverOverlapAndAnExpiredLeaseIsTakenOverAtItsCheckpoint() throws {
        let db = try RunnerTestSchema(self)
        let a = JobRepository(connection: try db.connect()), b = JobRepository(connection: try db.connect())
        let job = try open(a)
        let first = try XCTUnwrap(a.claimInput(jobID: job.id, owner: "h:1:0", leaseSeconds: 60))
        let second = try XCTUnwrap(b.claimInput(jobID: job.id, owner: "h:2:0", leaseSeconds: 60))
        XCTAssertNotEqual(first.ordinal, second.ordinal)
        try a.commit(batch(job, input: first.ordinal, owner: "h:1:0", samples: 0...3), leaseSeconds: 60)
        // The first worker "dies": its lease runs out, another worker resumes from the checkpoint.
        try a.connection.execute("UPDATE job_inputs SET lease_expires = now() - interval '1 second' WHERE ordinal = $1",
                                 [.int4(Int32(first.ordinal))])
        let third = try XCTUnwrap(b.claimInput(jobID: job.id, owner: "h:2:1", leaseSeconds: 60))
        let fourth = try XCTUnwrap(b.claimInput(jobID: job.id, owner: "h:2:2", leaseSeconds: 60))
        XCTAssertEqual(Set([third.ordinal, fourth.ordinal]), Set([first.ordinal, 3 - first.ordinal - second.ordinal]))
        let resumed = [third, fourth].first { $0.ordinal == first.ordinal }
        XCTAssertEqual(resumed?.checkpointSample, 3)
        XCTAssertEqual(resumed?.checkpointMs, 600)
        XCTAssertEqual(resumed?.nextTrackID, 2)
        XCTAssertNil(try b.claimInput(jobID: job.id, owner: "h:2:3", leaseSeconds: 60), "every input is leased")
        // The old owner comes back to life: its next batch must not land.
        XCTAssertThrowsError(try a.commit(batch(job, input: first.ordinal, owner: "h:1:0", samples: 4...5), leaseSeconds: 60)) {
            guard case .leaseLost = $0 as? JobStoreError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try a.hits(jobID: job.id).count, 4)
        XCTAssertFalse(try a.heartbeat(jobID: job.id, ordinal: first.ordinal, owner: "h:1:0", leaseSeconds: 60))
        XCTAssertTrue(try b.heartbeat(jobID: job.id, ordinal: first.ordinal, owner: resumed?.leaseOwner ?? "", leaseSeconds: 60))
    }

    func testABatchCommitsWithItsCheckpointOrNotAtAll() throws {
        let db = try RunnerTestSchema(self)
        let jobs = JobRepository(connection: try db.connect())
        let job = try open(jobs, count: 1)
        let input = try XCTUnwrap(jobs.claimInput(jobID: job.id, owner: "h:1:0", leaseSeconds: 60))
        try jobs.commit(batch(job, input: input.ordinal, owner: "h:1:0", samples: 0...4), leaseSeconds: 60)
        // A batch overlapping committed frames (a replay) fails as a whole: no rows, no checkpoint move.
        XCTAssertThrowsError(try jobs.commit(batch(job, input: input.ordinal, owner: "h:1:0", samples: 3...9), leaseSeconds: 60))
        var stored = try XCTUnwrap(jobs.inputs(jobID: job.id).first)
        XCTAssertEqual(stored.checkpointSample, 4)
        XCTAssertEqual(stored.framesSampled, 5)
        XCTAssertEqual(stored.hits, 5)
        XCTAssertEqual(try jobs.hits(jobID: job.id).map(\.detection.sampleOrdinal), [0, 1, 2, 3, 4])
        // A batch whose hit rows are invalid takes its detections and checkpoint down with it.
        var broken = batch(job, input: input.ordinal, owner: "h:1:0", samples: 5...6)
        broken.hits[1].detectionIndex = 9
        XCTAssertThrowsError(try jobs.commit(broken, leaseSeconds: 60))
        stored = try XCTUnwrap(jobs.inputs(jobID: job.id).first)
        XCTAssertEqual(stored.checkpointSample, 4)
        XCTAssertEqual(try jobs.detections(jobID: job.id, ordinal: input.ordinal, fromSample: 0).count, 5)
        try jobs.commit(batch(job, input: input.ordinal, owner: "h:1:0", samples: 5...6), leaseSeconds: 60)
        let recent = try jobs.detections(jobID: job.id, ordinal: input.ordinal, fromSample: 5)
        XCTAssertEqual(recent.map(\.sampleOrdinal), [5, 6])
        XCTAssertEqual(recent.first?.embedding, [Float](repeating: 5, count: 128))
    }

    func testJobStatusFollowsItsInputsAndForceStartsOver() throws {
        let db = try RunnerTestSchema(self)
        let jobs = JobRepository(connection: try db.connect())
        let job = try open(jobs, count: 2)
        let one = try XCTUnwrap(jobs.claimInput(jobID: job.id, owner: "h:1:0", leaseSeconds: 60))
        try jobs.commit(batch(job, input: one.ordinal, owner: "h:1:0", samples: 0...1), leaseSeconds: 60)
        XCTAssertTrue(try jobs.finishInput(jobID: job.id, ordinal: one.ordinal, owner: "h:1:0", status: "done", error: nil))
        XCTAssertNil(try jobs.finishJobIfComplete(jobID: job.id), "one input is still pending")
        let two = try XCTUnwrap(jobs.claimInput(jobID: job.id, owner: "h:1:0", leaseSeconds: 60))
        XCTAssertFalse(try jobs.finishInput(jobID: job.id, ordinal: two.ordinal, owner: "h:9:9", status: "done", error: nil),
                       "only the lease owner closes an input")
        XCTAssertTrue(try jobs.finishInput(jobID: job.id, ordinal: two.ordinal, owner: "h:1:0", status: "failed",
                                           error: "not a decodable video"))
        XCTAssertEqual(try jobs.finishJobIfComplete(jobID: job.id), "partial")
        XCTAssertTrue(try jobs.job(id: job.id).isFinished)
        try jobs.startRun(jobID: job.id, reset: true, modelsJSON: "[]")
        let reset = try jobs.inputs(jobID: job.id)
        XCTAssertEqual(reset.map(\.status), ["pending", "pending"])
        XCTAssertEqual(reset.map(\.checkpointSample), [nil, nil])
        XCTAssertEqual(try jobs.hits(jobID: job.id).count, 0)
        XCTAssertEqual(try jobs.job(id: job.id).runs, 2)
    }

    func testLeasesOfDeadLocalProcessesAreEndedAtOnce() throws {
        let db = try RunnerTestSchema(self)
        let jobs = JobRepository(connection: try db.connect())
        let job = try open(jobs, count: 2)
        _ = try XCTUnwrap(jobs.claimInput(jobID: job.id, owner: "host-a:111:0", leaseSeconds: 600))
        _ = try XCTUnwrap(jobs.claimInput(jobID: job.id, owner: "host-a:222:0", leaseSeconds: 600))
        XCTAssertNil(try jobs.claimInput(jobID: job.id, owner: "host-a:333:0", leaseSeconds: 600))
        XCTAssertEqual(try jobs.expireDeadLeases(jobID: job.id, host: "host-b", isAlive: { _ in false }), 0,
                       "another host's processes are not ours to judge")
        XCTAssertEqual(try jobs.expireDeadLeases(jobID: job.id, host: "host-a", isAlive: { $0 == 222 }), 1)
        let taken = try XCTUnwrap(jobs.claimInput(jobID: job.id, owner: "host-a:333:0", leaseSeconds: 600))
        XCTAssertEqual(taken.ordinal, 0)
    }

    func testSweepLedgerRemembersTheLatestFingerprint() throws {
        let db = try RunnerTestSchema(self)
        let jobs = JobRepository(connection: try db.connect())
        let a = SweepLedgerEntry(path: "/f/a.mp4", sizeBytes: 1, modifiedNanoseconds: 2, sha256: String(repeating: "1", count: 64))
        try jobs.recordSeen(sweep: "nightly", [a], jobID: nil)
        var changed = a
        changed.sizeBytes = 5
        try jobs.recordSeen(sweep: "nightly", [changed], jobID: nil)
        XCTAssertEqual(try jobs.ledger(sweep: "nightly"), [changed])
        XCTAssertEqual(try jobs.ledger(sweep: "other"), [])
    }
}
