import Foundation
import Reports
import XCTest
@testable import Jobs

/// Recording starts read from file names: the pattern, the offset, and what is refused.
final class FileNameTimeTests: XCTestCase {
    func testAStartIsReadWhereverThePatternFitsInTheName() throws {
        let t = try FileNameTime(pattern: "%Y%m%d_%H%M%S", utcOffset: "+01:00")
        XCTAssertEqual(t.start(fileName: "platform-cam3_20261128_220000.mp4")?.rfc3339, "2026-11-28T22:00:00.000+01:00")
        XCTAssertEqual(t.start(fileName: "20261128_2200.mp4"), nil, "seconds are part of this pattern")
        XCTAssertEqual(t.start(fileName: "20261332_220000.mp4"), nil, "month 13 is no date")
        XCTAssertEqual(t.start(fileName: "20260229_120000.mp4"), nil, "2026 is no leap year")
        XCTAssertEqual(t.start(fileName: "cam1.mp4"), nil)

        let fraction = try FileNameTime(pattern: "T%H-%M-%S.%f_%d.%m.%Y", utcOffset: "Z")
        XCTAssertEqual(fraction.start(fileName: "lobby T03-04-05.25_29.11.2026.mkv")?.rfc3339, "2026-11-29T03:04:05.250Z")
        let noSeconds = try FileNameTime(pattern: "%Y-%m-%d %H.%M", utcOffset: "-05:00")
        XCTAssertEqual(noSeconds.start(fileName: "2026-11-29 23.59 gate.mp4")?.rfc3339, "2026-11-29T23:59:00.000-05:00")
        XCTAssertEqual(try FileNameTime(pattern: "%%%Y%m%d%H%M", utcOffset: "Z").start(fileName: "x%202611290300")?.rfc3339,
                       "2026-11-29T03:00:00.000Z")
    }

    func testPatternsWithoutADateOrWithUnknownFieldsAndBadOffsetsAreRefused() {
        for (pattern, offset) in [("%Y%m%d", "Z"), ("%H%M%S", "Z"), ("%Y%m%d%H%M%q", "Z"), ("%Y%Y%m%d%H%M", "Z"),
                                  ("%Y%m%d%H%M%", "Z"), ("%Y%m%d%H%M.%f", "Z"), ("%Y%m%d%H%M", "CET"), ("%Y%m%d%H%M", "+1")] {
            XCTAssertThrowsError(try FileNameTime(pattern: pattern, utcOffset: offset), "\(pattern) \(offset)")
        }
    }

    func testGlobFilesGetTheirOwnStartsAndSayWhereTheyCameFrom() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-names-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["cam3_20261128_220000.mp4", "cam3_20261128_230000.mp4", "lobby.mp4"] {
            let url = root.appendingPathComponent("footage/\(name)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(name.utf8).write(to: url)
        }
        let json = """
            {"name": "n", "watchlist": "w", "inputs": [
              {"path": "footage/lobby.mp4", "recorded_at": "2026-11-28T21:30:00+01:00"},
              {"glob": "footage/cam3_*.mp4", "camera": "cam3",
               "recorded_at_from_name": {"pattern": "%Y%m%d_%H%M%S", "utc_offset": "+01:00"}}]}
            """
        let v = try ManifestValidator(baseDirectory: root).validate(Data(json.utf8)).get()
        XCTAssertEqual(v.inputs.map { ($0.path as NSString).lastPathComponent },
                       ["lobby.mp4", "cam3_20261128_220000.mp4", "cam3_20261128_230000.mp4"])
        XCTAssertEqual(v.inputs.map { $0.recordedAt?.rfc3339 },
                       ["2026-11-28T21:30:00.000+01:00", "2026-11-28T22:00:00.000+01:00", "2026-11-28T23:00:00.000+01:00"])
        XCTAssertEqual(v.inputs.map(\.recordedAtSource), ["manifest recorded_at",
                                                           "file name, pattern `%Y%m%d_%H%M%S`, UTC offset +01:00",
                                                           "file name, pattern `%Y%m%d_%H%M%S`, UTC offset +01:00"])
        // The setting is part of the job's identity, and survives the round trip through the database.
        let decoded = try JSONDecoder().decode(Manifest.self, from: JSONEncoder().encode(v.manifest))
        XCTAssertEqual(decoded, v.manifest)

        // A file of the glob whose name carries no start is an error, not a hit without a time.
        try Data().write(to: root.appendingPathComponent("footage/cam3_export.mp4"))
        guard case .failure(let e) = ManifestValidator(baseDirectory: root).validate(Data(json.utf8)) else {
            return XCTFail("a file without a timestamp was accepted")
        }
        XCTAssertEqual(e.issues.map(\.pointer), ["/inputs/1/recorded_at_from_name"])
        XCTAssertTrue(e.issues[0].message.contains("cam3_export.mp4"), e.issues[0].message)
    }
}
