import Foundation
import Store
import XCTest
@testable import Jobs

/// kill -9 of `facejob run` at random moments, then a rerun: exactly the hits of an
/// uninterrupted run, no gap, no duplicate.
final class RunnerKillTests: XCTestCase {
    func testKilledAtRandomMomentsAndRerunGivesTheUninterruptedHitSet() throws {
        let video = try RunnerFixtures.videoData()
        let engine = try RunnerFixtures.engine()
        let binary = try Self.binary()
        let db = try RunnerTestSchema(self)
        let connection = try db.connect()
        try RunnerFixtures.enrollHamilton(connection, engine: engine, video: video)
        let folder = try RunnerFixtures.temporaryFolder(self)
        let clip = video.appendingPathComponent("short_hamilton_clip.mp4").path
        let jobs = JobRepository(connection: connection)

        let reference = try ManifestValidator.load(path: RunnerFixtures.writeManifest(
            in: folder, name: "uninterrupted", inputs: [clip], every: 10).path)
        let baseline = try JobRunner(environment: WorkerEnvironment(connect: { try db.connect() }, engine: engine, batchSize: 2))
            .run(reference, options: RunOptions())
        let expected = try RunnerFixtures.hitSet(jobs, jobID: baseline.job.id)
        XCTAssertFalse(expected.isEmpty)

        let manifest = try RunnerFixtures.writeManifest(in: folder, name: "killed", inputs: [clip], every: 10)
        let url = db.url
        var kills = 0
        var killedAt: [Int64] = []
        // Kill at random points of progress rather than after random sleeps, so the kills land
        // mid-input however fast or loaded the machine is: each run is killed once the committed
        // checkpoint reaches its target (or at once, a random instant after start, when it is past).
        let targets = Array((1..<26).shuffled().prefix(3)).sorted()
        for target in targets {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["run", manifest.path, "--database", url, "--quiet", "--batch-size", "2"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let started = Date()
            let jitter = Double.random(in: 0...0.3)
            while process.isRunning && Date().timeIntervalSince(started) < 300 {
                let checkpoint = (try? jobs.job(named: "killed")).flatMap { job in
                    (try? jobs.inputs(jobID: job.id))?.first?.checkpointSample
                }
                if let checkpoint, checkpoint >= Int64(target), Date().timeIntervalSince(started) >= jitter {
                    kill(process.processIdentifier, SIGKILL)
                    kills += 1
                    break
                }
                Thread.sleep(forTimeInterval: 0.005)
            }
            process.waitUntilExit()
            if let job = try? jobs.job(named: "killed"), let input = try jobs.inputs(jobID: job.id).first {
                killedAt.append(input.checkpointSample ?? -1)
            }
        }
        XCTAssertTrue(killedAt.contains { $0 >= 0 && $0 < 27 }, "no kill landed mid-input (checkpoints \(killedAt))")
        let final = Process()
        final.executableURL = binary
        final.arguments = ["run", manifest.path, "--database", url, "--quiet"]
        final.standardOutput = FileHandle.nullDevice
        try final.run()
        final.waitUntilExit()
        XCTAssertEqual(final.terminationStatus, 0)
        let killed = try jobs.job(named: "killed")
        XCTAssertEqual(killed.status, "done")
        XCTAssertGreaterThan(killed.runs, 1, "the job was resumed at least once")
        XCTAssertEqual(try RunnerFixtures.hitSet(jobs, jobID: killed.id), expected, "after \(kills) kills")
        let input = try XCTUnwrap(jobs.inputs(jobID: killed.id).first)
        XCTAssertEqual(input.framesSampled, 28, "every sampled frame committed exactly once")
    }

    /// The `facejob` binary beside the test bundle (`swift build` builds it), or `$FACEJOB_BIN`.
    static func binary() throws -> URL {
        if let explicit = ProcessInfo.processInfo.environment["FACEJOB_BIN"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        // On Linux the bundle URL is the products folder itself; on macOS the .xctest bundle in it.
        let bundle = Bundle(for: RunnerKillTests.self).bundleURL
        let candidates = [bundle.appendingPathComponent("facejob"), bundle.deletingLastPathComponent().appendingPathComponent("facejob")]
        guard let candidate = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("!!! facejob binary not found beside \(bundle.path); build it or set FACEJOB_BIN")
        }
        return candidate
    }
}
