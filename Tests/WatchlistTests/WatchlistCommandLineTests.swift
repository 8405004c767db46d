import Foundation
import Store
import TestSupport
import Watchlist
import XCTest

/// `facejob register`, `search` and `watchlist` as a user runs them: the real binary, real models,
/// real PostgreSQL.
final class WatchlistCommandLineTests: XCTestCase {
    struct Run { let status: Int32; let stdout: String; let stderr: String }

    static var faces: String {
        WatchlistDeepfaceTests.dataFolder.replacingOccurrences(of: "/deepface", with: "")
    }

    private func facejob(_ arguments: [String], _ db: WatchlistTestSchema) throws -> Run {
        let r = try ChildProcess.run(WatchlistIndexKillTests.facejobBinary, arguments + ["--database", db.url])
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    private func requirements() throws {
        guard FileManager.default.isExecutableFile(atPath: WatchlistIndexKillTests.facejobBinary.path) else {
            throw XCTSkip("!!! facejob is not built: CLI test SKIPPED")
        }
        guard FileManager.default.fileExists(atPath: Self.faces + "/face_recognition/obama.jpg") else {
            throw XCTSkip("!!! \(Self.faces) is missing: CLI test SKIPPED")
        }
        let models = ProcessInfo.processInfo.environment["FACEJOB_MODELS"] ?? ""
        guard !models.isEmpty, FileManager.default.fileExists(atPath: models + "/dlib_resnet_v1.fjm") else {
            throw XCTSkip("!!! FACEJOB_MODELS does not hold the converted models: CLI test SKIPPED")
        }
    }

    func testBadFilesAreReportedAndChangeNothing() throws {
        try requirements()
        let db = try WatchlistTestSchema(self)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-wl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let notImage = dir.appendingPathComponent("notes.jpg").path
        try "not a picture".write(toFile: notImage, atomically: true, encoding: .utf8)
        let blank = dir.appendingPathComponent("blank.png").path
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = ["-loglevel", "error", "-f", "lavfi", "-i", "color=gray:s=320x240", "-frames:v", "1", blank]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        XCTAssertEqual(ffmpeg.terminationStatus, 0)

        let run = try facejob(["register", "--watchlist", "wanted", "--identity", "Nobody", notImage, blank,
                               dir.appendingPathComponent("missing.jpg").path], db)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stdout.contains("unreadable\t\(notImage)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("no face\t\(blank)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("0 inserted, 0 duplicate, 1 no face, 2 unreadable"), run.stdout)
        XCTAssertEqual(try db.count("watchlists"), 0)
        XCTAssertEqual(try db.count("identities"), 0)
        XCTAssertEqual(try db.count("audit_log"), 0)

        let search = try facejob(["search", Self.faces + "/face_recognition/obama.jpg", "--watchlist", "wanted"], db)
        XCTAssertEqual(search.status, 64)
        XCTAssertTrue(search.stderr.contains("no watchlist named \"wanted\""), search.stderr)
    }

    func testRegisterTwiceThenSearchAndRemove() throws {
        try requirements()
        let db = try WatchlistTestSchema(self)
        let obama = [Self.faces + "/face_recognition/obama2.jpg", Self.faces + "/face_recognition/obama_small.jpg"]
        let first = try facejob(["register", "--watchlist", "wanted", "--identity", "Barack Obama", "--external-id", "W-17",
                                 "--meta", "case=1142"] + obama, db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("2 inserted, 0 duplicate"), first.stdout)
        let biden = try facejob(["register", "--watchlist", "wanted", "--identity", "Joe Biden",
                                 Self.faces + "/face_recognition/biden.jpg"], db)
        XCTAssertEqual(biden.status, 0, biden.stderr)
        let audit = try db.count("audit_log")
        let again = try facejob(["register", "--watchlist", "wanted", "--identity", "Barack Obama"] + obama, db)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 inserted, 2 duplicate"), again.stdout)
        XCTAssertEqual(try db.count("faces"), 3)
        XCTAssertEqual(try db.count("audit_log"), audit)

        XCTAssertEqual(try facejob(["index", "build", "--watchlist", "wanted"], db).status, 0)
        for method in ["exact", "ann"] {
            let search = try facejob(["search", Self.faces + "/face_recognition/obama3.jpg", "--watchlist", "wanted",
                                      "--method", method, "--json"], db)
            XCTAssertEqual(search.status, 0, search.stderr)
            // The REST API's /search shape (DeepFace's `results`, one list per probe face) plus facejob's fields.
            let json = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
            XCTAssertEqual(json?["search_method"] as? String, method)
            XCTAssertEqual(json?["watchlist"] as? String, "wanted")
            XCTAssertEqual(json?["model"] as? String, "Dlib")
            XCTAssertEqual(json?["distance_metric"] as? String, "euclidean")
            let faces = json?["faces"] as? [[String: Any]]
            XCTAssertEqual(faces?.count, 1)
            XCTAssertEqual(faces?.first?["image"] as? String, Self.faces + "/face_recognition/obama3.jpg")
            XCTAssertNotNil(faces?.first?["facial_area"] as? [String: Any])
            let results = json?["results"] as? [[[String: Any]]]
            XCTAssertEqual(results?.count, 1)
            let matches = results?.first
            XCTAssertEqual(matches?.count, 2, search.stdout)
            XCTAssertEqual(matches?.first?["identity"] as? String, "Barack Obama")
            XCTAssertNotNil(matches?.first?["source_x"] as? Int)
            XCTAssertEqual(matches?.first?["external_id"] as? String, "W-17")
            XCTAssertEqual(matches?.first?["rank"] as? Int, 1)
            XCTAssertLessThan((matches?.first?["distance"] as? Double) ?? 1, 0.6)
        }
        let removed = try facejob(["watchlist", "remove", "--watchlist", "wanted", "--identity", "Barack Obama", "--reason", "test"], db)
        XCTAssertEqual(removed.status, 0, removed.stderr)
        for method in ["exact", "ann"] {
            let search = try facejob(["search", Self.faces + "/face_recognition/obama3.jpg", "--watchlist", "wanted",
                                      "--method", method], db)
            XCTAssertEqual(search.status, 0, search.stderr)
            XCTAssertTrue(search.stdout.contains("0 match(es)"), search.stdout)
        }
    }
}
