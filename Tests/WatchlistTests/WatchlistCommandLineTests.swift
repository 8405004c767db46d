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

    /// A command without a database (`verify`).
    private func facejob(_ arguments: [String]) throws -> Run {
        let r = try ChildProcess.run(WatchlistIndexKillTests.facejobBinary, arguments)
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

        // An iPhone's HEIC: an ftyp box of HEIF brands, then boxes FFmpeg 5.1 cannot read.
        let heic = dir.appendingPathComponent("IMG_0001.HEIC").path
        try Data([0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8) + [0, 0, 0, 0x10]
                 + Array("meta".utf8) + [UInt8](repeating: 0x5A, count: 8)).write(to: URL(fileURLWithPath: heic))

        let run = try facejob(["register", "--watchlist", "wanted", "--identity", "Nobody", notImage, blank,
                               dir.appendingPathComponent("missing.jpg").path, heic], db)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stdout.contains("unreadable\t\(notImage)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("no face\t\(blank)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("unreadable\t\(heic)\t\(heic): HEIC/HEIF images are not supported by this FFmpeg build; "
                                          + "convert to JPEG or PNG"), run.stdout)
        XCTAssertTrue(run.stdout.contains("0 inserted, 0 duplicate, 1 no face, 3 unreadable"), run.stdout)
        // verify stops on it with the exit status of any other unreadable photo.
        let obama = Self.faces + "/face_recognition/obama.jpg"
        let verifyText = try facejob(["verify", notImage, obama]), verifyHEIC = try facejob(["verify", heic, obama])
        XCTAssertEqual(verifyText.status, 1, verifyText.stderr)
        XCTAssertEqual(verifyHEIC.status, verifyText.status, verifyHEIC.stderr)
        XCTAssertTrue(verifyHEIC.stderr.contains("\(heic): HEIC/HEIF images are not supported"), verifyHEIC.stderr)
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

    /// Photos as phones store them (portrait: EXIF orientation 6; held the other way: 8) are
    /// enrolled upright and found by an upright photo of the same person.
    func testPhonePhotosAreEnrolledUpright() throws {
        try requirements()
        let db = try WatchlistTestSchema(self)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-wl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A phone's folder: a portrait JPEG and a HEIC, which is reported, not skipped.
        let phone = dir.appendingPathComponent("phone")
        try FileManager.default.createDirectory(at: phone, withIntermediateDirectories: true)
        let obama = phone.appendingPathComponent("obama-portrait.jpg").path, biden = dir.appendingPathComponent("biden-8.jpg").path
        let heic = phone.appendingPathComponent("IMG_0002.heic").path
        try OrientedJPEG.write(Self.faces + "/face_recognition/obama2.jpg", orientation: 6, to: obama)
        try OrientedJPEG.write(Self.faces + "/face_recognition/biden.jpg", orientation: 8, to: biden)
        try Data([0, 0, 0, 0x14] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1".utf8) + [0, 0, 0, 0x10]
                 + Array("meta".utf8) + [UInt8](repeating: 0x5A, count: 8)).write(to: URL(fileURLWithPath: heic))
        let folder = try facejob(["register", "--watchlist", "wanted", "--identity", "Barack Obama", phone.path], db)
        XCTAssertEqual(folder.status, 2, folder.stdout + folder.stderr)
        XCTAssertTrue(folder.stdout.contains("inserted\t\(obama)"), folder.stdout)
        XCTAssertTrue(folder.stdout.contains("unreadable\t\(heic)\t\(heic): HEIC/HEIF images are not supported"), folder.stdout)
        let run = try facejob(["register", "--watchlist", "wanted", "--identity", "Joe Biden", biden], db)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("1 inserted"), run.stdout)
        let search = try facejob(["search", Self.faces + "/face_recognition/obama3.jpg", "--watchlist", "wanted", "--json"], db)
        XCTAssertEqual(search.status, 0, search.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
        let matches = (json?["results"] as? [[[String: Any]]])?.first
        XCTAssertEqual(matches?.first?["identity"] as? String, "Barack Obama", search.stdout)
        XCTAssertLessThan((matches?.first?["distance"] as? Double) ?? 1, 0.6, search.stdout)
        let verify = try facejob(["verify", Self.faces + "/face_recognition/obama2.jpg", obama])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stdout.hasPrefix("same person"), verify.stdout)
    }
}
