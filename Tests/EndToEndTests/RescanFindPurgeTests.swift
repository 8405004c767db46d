import Foundation
import TestSupport
import XCTest

/// The analyst's later questions, through the built binary on real footage: a person enrolled
/// after a job ran is found by `rescan` exactly as a fresh run finds them, decoding nothing but
/// the frames of hits; `find` follows a face from one camera to another; `jobs purge` leaves
/// nothing for any later search.
final class RescanFindPurgeTests: XCTestCase {
    /// Hits of one identity in hits.csv, keyed by frame: box, distance, track.
    private func hits(_ csv: URL, of name: String) throws -> [String: (box: [Double], distance: Double, track: String)] {
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        func column(_ n: String) throws -> Int { try XCTUnwrap(header.firstIndex(of: n), n) }
        let (frame, input, who, distance, track) = (try column("frame_index"), try column("input_path"),
                                                    try column("identity_name"), try column("distance"), try column("track_id"))
        let box = try ["box_x", "box_y", "box_width", "box_height"].map(column)
        var out: [String: (box: [Double], distance: Double, track: String)] = [:]
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells[who] == name else { continue }
            out[cells[input] + "#" + cells[frame]] = (box.map { Double(cells[$0]) ?? .nan }, Double(cells[distance]) ?? .nan, cells[track])
        }
        return out
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// A second camera: seconds 4–9 of the clip, re-encoded by FFmpeg (other pixels, same person).
    private func secondCamera(_ f: EndToEndFixture) throws -> URL {
        let out = f.folder.appendingPathComponent("lobby.mp4")
        let r = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/ffmpeg"),
                                     ["-v", "error", "-y", "-ss", "4", "-i", f.clip.path, "-t", "5", "-an", "-c:v", "libx264",
                                      "-crf", "20", "-pix_fmt", "yuv420p", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return out
    }

    func testEnrolLaterThenRescanEqualsAFreshRunAndFindFollowsAFaceAcrossCameras() throws {
        let f = try EndToEndFixture(self)
        let lobby = try secondCamera(f)
        try f.register("alex-lacamoire.png", as: "Alex Lacamoire")
        let inputs = ["{\"path\": \"\(f.clip.path)\", \"camera\": \"stage\", \"recorded_at\": \"2015-08-06T20:00:00-04:00\"}",
                      "{\"path\": \"\(lobby.path)\", \"camera\": \"lobby\", \"recorded_at\": \"2015-08-06T21:00:00-04:00\"}"]
        let extra = ", \"search\": {\"method\": \"exact\", \"k\": 1, \"threshold\": 0.6}"
        let early = try f.binary.run(["run", f.manifest("early", inputs: inputs, extra: extra).path, "--database", f.url])
        XCTAssertEqual(early.status, 0, early.stderr)
        let earlyHits = try hits(f.folder.appendingPathComponent("reports-early/hits.csv"), of: "Lin-Manuel Miranda")
        XCTAssertTrue(earlyHits.isEmpty, "Lin-Manuel Miranda was not enrolled yet")

        // Enrolled weeks later: the rescan finds him without running the engine on the footage.
        try f.register("lin-manuel-miranda.png", as: "Lin-Manuel Miranda")
        let out = f.folder.appendingPathComponent("rescan-early")
        let rescan = try f.binary.run(["rescan", "early", "--watchlist", "hamilton", "--out", out.path, "--json",
                                       "--database", f.url])
        XCTAssertEqual(rescan.status, 0, rescan.stderr)
        let outcome = try json(rescan.stdout)
        XCTAssertEqual(outcome["status"] as? String, "done")
        XCTAssertEqual(outcome["already_finished"] as? Bool, false)

        let fresh = try f.binary.run(["run", f.manifest("fresh", inputs: inputs, extra: extra).path, "--database", f.url])
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        let expected = try hits(f.folder.appendingPathComponent("reports-fresh/hits.csv"), of: "Lin-Manuel Miranda")
        let found = try hits(out.appendingPathComponent("hits.csv"), of: "Lin-Manuel Miranda")
        XCTAssertFalse(expected.isEmpty, "the fresh run finds Lin-Manuel Miranda")
        XCTAssertEqual(Set(found.keys), Set(expected.keys), "the same frames")
        for (key, e) in expected {
            guard let r = found[key] else { continue }
            XCTAssertEqual(r.box, e.box, "box of \(key)")
            XCTAssertEqual(r.distance, e.distance, accuracy: 1e-5, "distance of \(key)")
            XCTAssertEqual(r.track, e.track, "track of \(key)")
        }

        // Nothing is decoded but the frames of hits: one thumbnail per hit frame, no frame past
        // the last hit frame; without thumbnails nothing at all.
        let thumbs = try FileManager.default.subpathsOfDirectory(atPath: out.appendingPathComponent("thumbs").path)
            .filter { $0.hasSuffix(".jpg") }
        let hitFrames = Set(try hits(out.appendingPathComponent("hits.csv"), of: "Lin-Manuel Miranda").keys)
            .union(try hits(out.appendingPathComponent("hits.csv"), of: "Alex Lacamoire").keys)
        XCTAssertEqual(thumbs.count, hitFrames.count, "\(thumbs)")
        let decoded = try XCTUnwrap(outcome["frames_decoded"] as? Int)
        let lastFrame = try XCTUnwrap(hitFrames.compactMap { Int($0.split(separator: "#").last ?? "") }.max())
        XCTAssertGreaterThanOrEqual(decoded, hitFrames.count)
        XCTAssertLessThanOrEqual(decoded, 2 * (lastFrame + 1), "no frame beyond the hits of each input is decoded")
        let bare = try f.binary.run(["rescan", "early", "--watchlist", "hamilton", "--no-thumbnails", "--json",
                                     "--out", f.folder.appendingPathComponent("bare").path, "--database", f.url])
        XCTAssertEqual(bare.status, 0, bare.stderr)
        XCTAssertEqual(try json(bare.stdout)["frames_decoded"] as? Int, 0)
        XCTAssertEqual(try json(bare.stdout)["hits"] as? Int, outcome["hits"] as? Int)

        // The report says what it is: a rescan, of which job, against which watchlist state.
        let report = try json(String(contentsOf: out.appendingPathComponent("hits.json"), encoding: .utf8))
        let section = try XCTUnwrap((report["header"] as? [String: Any])?["rescan"] as? [String: Any])
        XCTAssertEqual(section["watchlist"] as? String, "hamilton")
        XCTAssertTrue((section["watchlist_state"] as? String)?.hasPrefix("2 faces") == true, "\(section)")
        XCTAssertTrue((section["jobs"] as? [String])?.first?.contains("\"early\"") == true, "\(section)")
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8).contains("<h2>Rescan R"))

        // Idempotent: the same jobs against the same watchlist state is the same rescan.
        let again = try f.binary.run(["rescan", "early", "--watchlist", "hamilton", "--out", out.path, "--json",
                                      "--database", f.url])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try json(again.stdout)["already_finished"] as? Bool, true)
        XCTAssertEqual(try json(again.stdout)["rescan"] as? String, outcome["rescan"] as? String)

        // find: a face of Lin-Manuel Miranda on the stage camera is found on the lobby camera.
        let stageKey = try XCTUnwrap(found.keys.sorted().first { $0.hasPrefix(f.clip.path) })
        let earlyJob = try f.binary.run(["jobs", "list", "--database", f.url]).stdout
            .split(separator: "\n").first { $0.contains("\tearly\t") }.map { String($0.split(separator: "\t")[0]) }
        let jobID = try XCTUnwrap(earlyJob)
        let frame = try XCTUnwrap(stageKey.split(separator: "#").last)
        let detectionIndex = try f.admin.execute("""
            SELECT detection_index FROM \(f.schema).job_detections WHERE job_id = $1 AND input_ordinal = 0 AND frame_index = $2
            ORDER BY detection_index LIMIT 1
            """, [.int8(Int64(jobID) ?? 0), .int8(Int64(frame) ?? 0)]).scalar(Int.self)
        let find = try f.binary.run(["find", "--detection", "\(jobID)/0/\(frame)/\(detectionIndex)", "--jobs", jobID,
                                     "--json", "--database", f.url])
        XCTAssertEqual(find.status, 0, find.stderr)
        let answers = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(find.stdout.utf8)) as? [[String: Any]])
        let sightings = try XCTUnwrap(answers.first?["sightings"] as? [[String: Any]])
        XCTAssertEqual(sightings.first?["distance"] as? Double, 0, "the probe's own face comes first")
        XCTAssertTrue(sightings.contains { $0["camera"] as? String == "lobby" }, "found on the other camera: \(find.stdout)")
        let table = try f.binary.run(["find", f.data.appendingPathComponent("lin-manuel-miranda.png").path, "--camera", "lobby",
                                      "--database", f.url])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains(lobby.path) && !table.stdout.contains(f.clip.path), table.stdout)

        // Purge: the jobs, their faces and the rescans over them are gone from every search, with audit rows.
        let purge = try f.binary.run(["jobs", "purge", "early", "fresh", "--reason", "retention test", "--database", f.url])
        XCTAssertEqual(purge.status, 0, purge.stderr)
        XCTAssertEqual(try f.count("job_detections"), 0)
        XCTAssertEqual(try f.count("rescan_hits"), 0)
        XCTAssertEqual(try f.count("rescans"), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("thumbs").path))
        let audit = try f.admin.execute("SELECT count(*) FROM \(f.schema).audit_log WHERE action = 'job.purge'").scalar(Int.self)
        XCTAssertEqual(audit, 2)
        let after = try f.binary.run(["find", f.data.appendingPathComponent("lin-manuel-miranda.png").path, "--json",
                                      "--database", f.url])
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual((try XCTUnwrap(JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]])
            .first?["sightings"] as? [Any])?.count, 0)
        let gone = try f.binary.run(["rescan", "early", "--watchlist", "hamilton", "--database", f.url])
        XCTAssertEqual(gone.status, 64, gone.stderr)
    }

    func testChangedFootageKeepsItsHitsWithoutThumbnailsAndBadRequestsSayWhy() throws {
        let f = try EndToEndFixture(self)
        try f.registerHamilton()
        let copy = f.folder.appendingPathComponent("copy.mp4")
        try FileManager.default.copyItem(at: f.clip, to: copy)
        let run = try f.binary.run(["run", f.manifest("copied", inputs: ["{\"path\": \"\(copy.path)\"}"]).path, "--database", f.url])
        XCTAssertEqual(run.status, 0, run.stderr)

        // The file changes after the job: the rescan keeps its hits, cuts no thumbnail, warns, exits 2.
        let handle = try FileHandle(forWritingTo: copy)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("appended".utf8))
        try handle.close()
        let out = f.folder.appendingPathComponent("changed")
        let rescan = try f.binary.run(["rescan", "copied", "--watchlist", "hamilton", "--out", out.path, "--json",
                                       "--database", f.url])
        XCTAssertEqual(rescan.status, 2, rescan.stderr)
        let outcome = try json(rescan.stdout)
        XCTAssertEqual(outcome["status"] as? String, "partial")
        XCTAssertGreaterThan(outcome["hits"] as? Int ?? 0, 0)
        XCTAssertEqual(outcome["frames_decoded"] as? Int, 0)
        XCTAssertTrue((outcome["warnings"] as? [String])?.first?.contains("has changed") == true, rescan.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("thumbs").path))
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8).contains("has changed"))

        // Exact resume: a crash leaves the checkpoint and the hits before it; the rerun adds the rest.
        let rescanID = try f.admin.execute("SELECT max(id) FROM \(f.schema).rescans").scalar(Int64.self)
        let all = try f.count("rescan_hits")
        let middle = try f.admin.execute("""
            SELECT frame_index FROM \(f.schema).rescan_hits WHERE rescan_id = $1 ORDER BY frame_index
            OFFSET $2 LIMIT 1
            """, [.int8(rescanID), .int8(Int64(all / 2))]).scalar(Int64.self)
        try f.admin.execute("DELETE FROM \(f.schema).rescan_hits WHERE rescan_id = $1 AND frame_index > $2",
                            [.int8(rescanID), .int8(middle)])
        try f.admin.execute("""
            UPDATE \(f.schema).rescan_inputs SET status = 'pending', checkpoint_frame = $2,
                hits = (SELECT count(*) FROM \(f.schema).rescan_hits WHERE rescan_id = $1) WHERE rescan_id = $1
            """, [.int8(rescanID), .int8(middle)])
        try f.admin.execute("UPDATE \(f.schema).rescans SET status = 'running' WHERE id = $1", [.int8(rescanID)])
        let resumed = try f.binary.run(["rescan", "copied", "--watchlist", "hamilton", "--out", out.path, "--json",
                                        "--database", f.url])
        XCTAssertEqual(resumed.status, 2, resumed.stderr)
        XCTAssertEqual(try json(resumed.stdout)["already_finished"] as? Bool, false)
        XCTAssertEqual(try f.count("rescan_hits"), all, "the resumed rescan has every hit exactly once")

        // Bad requests: exit 64 (usage) or 1 (no face in the probe), each with the reason.
        let blank = f.folder.appendingPathComponent("blank.png")
        XCTAssertEqual(try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/ffmpeg"),
                                            ["-v", "error", "-f", "lavfi", "-i", "color=gray:s=320x240", "-frames:v", "1",
                                             blank.path]).status, 0)
        for (args, status, says) in [
            (["rescan", "no-such-job", "--watchlist", "hamilton"], Int32(64), "no job named"),
            (["rescan", "copied", "--watchlist", "nobody"], 64, "no watchlist named"),
            (["rescan", "--watchlist", "hamilton"], 64, "name the jobs"),
            (["find", "--detection", "1/0/99999/0"], 64, "no stored detection"),
            (["find", "--sighting", "1/x"], 64, "JOB/SIGHTING"),
            (["find", blank.path], 1, "no face found"),
            (["jobs", "purge", "no-such-job"], 64, "no job named"),
        ] {
            let r = try f.binary.run(args + ["--database", f.url])
            XCTAssertEqual(r.status, status, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(says), "\(args): \(r.stderr)")
        }
    }
}
