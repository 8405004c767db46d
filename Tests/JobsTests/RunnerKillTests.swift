import Foundation
import Store
import TestSupport
import XCTest
@testable import Jobs

/// kill -9 (and a plain `kill`, SIGTERM) of `facejob run` at random moments, then a rerun: exactly
/// the hits of an uninterrupted run, no gap, no duplicate.
final class RunnerKillTests: XCTestCase {
    func testKilledAtRandomMomentsAndRerunGivesTheUninterruptedHitSet() throws {
        let scene = try RunnerScene(self)
        let (binary, jobs) = (try scene.binary, scene.jobs)
        let expected = try scene.uninterruptedHits()

        let manifest = try RunnerFixtures.writeManifest(in: scene.folder, name: "killed", inputs: [scene.clip], every: 10)
        let url = scene.db.url
        var kills = 0
        var killedAt: [Int64] = []
        // Kill at random points of progress rather than after random sleeps, so the kills land
        // mid-input however fast or loaded the machine is: each run is killed once the committed
        // checkpoint reaches its target (or at once, a random instant after start, when it is past).
        let targets = Array((1..<26).shuffled().prefix(3)).sorted()
        var noticed = 0
        for (n, target) in targets.enumerated() {
            // The first run is stopped the way systemd or a user's `kill` stops it, the others die outright.
            let signal = n == 0 ? SIGTERM : SIGKILL
            let process = Process()
            process.executableURL = binary
            process.arguments = ["run", manifest.path, "--database", url, "--quiet", "--batch-size", "2"]
            process.standardOutput = FileHandle.nullDevice
            let stderr = Pipe()
            process.standardError = stderr
            try process.run()
            let started = Date()
            let jitter = Double.random(in: 0...0.3)
            while process.isRunning && Date().timeIntervalSince(started) < 300 {
                let checkpoint = (try? jobs.job(named: "killed")).flatMap { job in
                    (try? jobs.inputs(jobID: job.id))?.first?.checkpointSample
                }
                if let checkpoint, checkpoint >= Int64(target), Date().timeIntervalSince(started) >= jitter {
                    kill(process.processIdentifier, signal)
                    kills += 1
                    break
                }
                Thread.sleep(forTimeInterval: 0.005)
            }
            let said = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if signal == SIGTERM, process.terminationReason == .uncaughtSignal {
                XCTAssertEqual(process.terminationStatus, SIGTERM, "it dies of the signal, as cron and systemd expect")
                XCTAssertTrue(said.contains("facejob: terminated; every committed frame is kept. Run the same command again"), said)
                noticed += 1
                let status = try scene.run(["jobs", "status", "killed", "--database", url])
                XCTAssertEqual(status.status, 0, status.stderr)
                XCTAssertTrue(status.stdout.contains("a process that has stopped")
                              && status.stdout.contains("1 input(s) were left running by a process that was interrupted"),
                              status.stdout)
            }
            if let job = try? jobs.job(named: "killed"), let input = try jobs.inputs(jobID: job.id).first {
                killedAt.append(input.checkpointSample ?? -1)
            }
        }
        XCTAssertTrue(killedAt.contains { $0 >= 0 && $0 < 27 }, "no kill landed mid-input (checkpoints \(killedAt))")
        XCTAssertEqual(noticed, 1, "the SIGTERM landed mid-run and was announced")
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
        XCTAssertEqual(try JobHitSet.of(jobs, jobID: killed.id), expected, "after \(kills) kills")
        let input = try XCTUnwrap(jobs.inputs(jobID: killed.id).first)
        XCTAssertEqual(input.framesSampled, 28, "every sampled frame committed exactly once")
    }
}
