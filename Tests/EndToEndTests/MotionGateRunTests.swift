import Foundation
import TestSupport
import XCTest

/// Motion-gated detection against full-frame detection on a fixed-camera clip made here with
/// FFmpeg from real faces (two walk across a still background, one stands still): the same people
/// in every second of footage where the full-frame run saw them clearly, no one it did not find,
/// and at most 5 % of its hit frames missing (docs/detection.md); killed and run again, a gated job
/// finds exactly what it finds uninterrupted.
final class MotionGateRunTests: XCTestCase {
    func testGatedRunFindsWhatTheFullFrameRunFinds() throws {
        let f = try EndToEndFixture(self)
        let faces = f.data.deletingLastPathComponent().appendingPathComponent("faces/deepface")
        for (photo, name) in [("img20.jpg", "person-a"), ("img16.jpg", "person-b"), ("img3.jpg", "person-c")] {
            try f.register(faces.appendingPathComponent(photo).path, as: name)
        }
        let clip = f.folder.appendingPathComponent("lobby.mp4")
        let scene = "[1]scale=-2:200[a];[2]scale=-2:170[b];[3]scale=-2:180[c];"
            + "[0][a]overlay=x='-200+150*t':y=260:enable='between(t,0,9)'[v1];"
            + "[v1][b]overlay=x='1280-120*(t-2)':y=420:enable='between(t,2,10)'[v2];"
            + "[v2][c]overlay=x=850:y=160:enable='between(t,4,9)',noise=alls=5:allf=t,format=yuv420p[v]"
        let made = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/ffmpeg"), [
            "-v", "error", "-y", "-f", "lavfi", "-i",
            "gradients=s=1280x720:c0=0x39424a:c1=0x9c8b6e:x0=0:y0=0:x1=1280:y1=720:speed=0.00001:r=25",
            "-i", faces.appendingPathComponent("img21.jpg").path, "-i", faces.appendingPathComponent("img17.jpg").path,
            "-i", faces.appendingPathComponent("img12.jpg").path, "-filter_complex", scene, "-map", "[v]", "-t", "10",
            "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-threads", "1", clip.path])
        XCTAssertEqual(made.status, 0, made.stderr)

        typealias Hit = (name: String, frame: Int, ms: Double, distance: Double)
        var finishedLogs: [String: [String: Any]] = [:]
        func run(_ name: String, gate: String) throws -> [Hit] {
            let manifest = f.folder.appendingPathComponent("\(name).json")
            try """
                {"name": "\(name)", "watchlist": "hamilton", "inputs": [{"path": "\(clip.path)"}], "sampling": {"fps": 5},
                 "detector": {"motion_gate": \(gate)}, "search": {"threshold": 0.6},
                 "report": {"directory": "reports-\(name)", "formats": ["json"], "thumbnails": false}}
                """.write(to: manifest, atomically: true, encoding: .utf8)
            let r = try f.binary.run(["run", manifest.path, "--database", f.url, "--quiet", "--log-format", "json",
                                      "--log-level", "info"])
            XCTAssertEqual(r.status, 0, r.stderr)
            finishedLogs[name] = r.stderr.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.first { $0["message"] as? String == "input finished" }?["metadata"] as? [String: Any]
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: f.folder.appendingPathComponent("reports-\(name)/hits.json")))
            let hits = try XCTUnwrap((json as? [String: Any])?["hits"] as? [[String: Any]])
            return hits.map { (($0["identity"] as? [String: Any])?["name"] as? String ?? "", $0["frame_index"] as? Int ?? -1,
                              $0["pts_ms"] as? Double ?? -1, $0["distance"] as? Double ?? 9) }
        }
        let full = try run("full", gate: "false")
        let gated = try run("gated", gate: "true")
        XCTAssertEqual(Set(full.map(\.name)), ["person-a", "person-b", "person-c"], "the full-frame run finds all three")
        // The finished input's log record says what the gate had the detector search: the first
        // frame and the refreshes whole, the rest only where something changed; nothing when ungated.
        let count = { (key: String) in (finishedLogs["gated"]?[key] as? NSNumber)?.intValue ?? -1 }
        let frames = count("frames")
        XCTAssertEqual(count("gate_full") + count("gate_regions") + count("gate_still"), frames, "\(finishedLogs)")
        XCTAssertGreaterThanOrEqual(count("gate_full"), 1 + frames / 10 - 1, "the first frame and a refresh every 2 s")
        XCTAssertLessThan(count("gate_full"), frames / 2)
        XCTAssertGreaterThan(count("gate_regions"), 0)
        XCTAssertNil(finishedLogs["full"]?["gate_full"], "no gate, no gate counts")
        XCTAssertTrue(Set(gated.map(\.name)).isSubset(of: Set(full.map(\.name))), "no identity the full-frame run did not find")
        // Every second in which the full-frame run saw someone clearly (closer than the threshold by
        // 0.05 or more), the gated run sees them too. Within 0.05 of the threshold a hit flips
        // either way with any change of the detector's box (docs/detection.md).
        let second = { (h: Hit) in "\(h.name)@\(Int(h.ms / 1000))" }
        let clear = Set(full.filter { $0.distance <= 0.55 }.map(second))
        XCTAssertFalse(clear.isEmpty)
        XCTAssertTrue(clear.isSubset(of: Set(gated.map(second))), "missing: \(clear.subtracting(gated.map(second)).sorted())")
        // Killed mid-input and run again, the gated job resumes with the gate's committed state and
        // finds exactly the hits of the uninterrupted gated run: killed among the first 8 frames
        // (seeded by the first frame's faces) and later (seeded by a window of recent frames).
        for (name, after) in [("early", 3), ("resumed", 16)] {
            try killAndResume(f, name: name, afterSample: after, expecting: gated.map { "\($0.name)#\($0.frame)#\($0.distance)" })
        }

        // At most 5 % of the frames the full-frame run matched clearly are missing from the gated run.
        // Frames within 0.05 of the threshold are left out of the count: there a hit flips with a
        // box a fraction of a pixel off, and which way it flips varied between CI runs (the standing
        // person, at 0.59, lost 3 or 4 frames of 78).
        let fullFrames = Set(full.filter { $0.distance <= 0.55 }.map { "\($0.name)#\($0.frame)" })
        let gatedFrames = Set(gated.map { "\($0.name)#\($0.frame)" })
        XCTAssertLessThanOrEqual(Double(fullFrames.subtracting(gatedFrames).count), 0.05 * Double(fullFrames.count),
                                 "lost: \(fullFrames.subtracting(gatedFrames).sorted())")
    }

    /// Runs the gated manifest again as job `name`, kills it once `afterSample` frames are
    /// committed, runs it to the end, and compares its hits with `expected`.
    private func killAndResume(_ f: EndToEndFixture, name: String, afterSample: Int, expecting expected: [String]) throws {
        let resumed = f.folder.appendingPathComponent("\(name).json")
        try String(contentsOf: f.folder.appendingPathComponent("gated.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"gated\"", with: "\"\(name)\"").replacingOccurrences(of: "reports-gated", with: "reports-\(name)")
            .write(to: resumed, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = f.binary.url
        process.arguments = ["run", resumed.path, "--database", f.url, "--quiet", "--batch-size", "2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        var checkpoint = -1
        while process.isRunning, Date() < deadline, checkpoint < afterSample {
            Thread.sleep(forTimeInterval: 0.05)
            checkpoint = (try? f.admin.execute("""
                SELECT coalesce(max(i.checkpoint_sample), -1) FROM \(f.schema).job_inputs i JOIN \(f.schema).jobs j ON j.id = i.job_id
                WHERE j.name = '\(name)'
                """).scalar(Int.self)) ?? -1
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertGreaterThanOrEqual(checkpoint, afterSample, "killed after some batches were committed")
        let stateSaved = try f.admin.execute("""
            SELECT count(*) FROM \(f.schema).job_inputs i JOIN \(f.schema).jobs j ON j.id = i.job_id
            WHERE j.name = '\(name)' AND i.gate_state IS NOT NULL
            """).scalar(Int.self)
        XCTAssertEqual(stateSaved, 1, "the gate's state is committed with the checkpoint")
        let rerun = try f.binary.run(["run", resumed.path, "--database", f.url, "--quiet"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: f.folder.appendingPathComponent("reports-\(name)/hits.json")))
        let again = try XCTUnwrap((json as? [String: Any])?["hits"] as? [[String: Any]]).map {
            "\((($0["identity"] as? [String: Any])?["name"] as? String ?? ""))#\($0["frame_index"] as? Int ?? -1)#\($0["distance"] as? Double ?? 9)"
        }
        XCTAssertEqual(again.sorted(), expected.sorted(), "killed after sample \(checkpoint): the same hits as without the kill")
    }
}
