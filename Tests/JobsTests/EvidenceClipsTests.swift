import Common
import Foundation
import Reports
import Store
import XCTest
@testable import Jobs

/// Clips of sightings whose footage changed or went missing are skipped with a warning; the rest
/// are cut.
final class EvidenceClipsTests: XCTestCase {
    func testChangedOrMissingFootageGetsAWarningInsteadOfAClip() throws {
        let video = (ProcessInfo.processInfo.environment["FACEJOB_TEST_DATA"] ?? "/work/shared/data") + "/video/short_hamilton_clip.mp4"
        guard FileManager.default.fileExists(atPath: video) else { throw XCTSkip("!!! \(video) missing: clips test SKIPPED") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-clips-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let changed = folder.appendingPathComponent("changed.mp4")
        try FileManager.default.copyItem(atPath: video, toPath: changed.path)
        let sha = try SHA256Hex.file(at: video)
        let inputs = [ReportInput(path: video, sha256: sha, sizeBytes: 0, status: "done"),
                      ReportInput(path: changed.path, sha256: String(repeating: "0", count: 64), sizeBytes: 0, status: "done"),
                      ReportInput(path: folder.appendingPathComponent("gone.mp4").path, sha256: sha, sizeBytes: 0, status: "done")]
        let header = ReportHeader(jobName: "j", jobID: "1", manifestHash: "h", facejobVersion: "v", generatedAt: "t", models: [],
                                  inputs: inputs, settings: [], timings: [])
        let sightings = inputs.enumerated().map { n, input in
            SightingRecord(sightingID: Int64(n + 1), inputPath: input.path, inputSHA256: input.sha256, camera: nil, recordedAt: nil,
                           trackID: 1, identityID: 7, identityName: "x", externalID: nil, firstFrame: 60,
                           firstPtsMicroseconds: 2_000_000, lastFrame: 120, lastPtsMicroseconds: 4_000_000, bestFrame: 90,
                           bestPtsMicroseconds: 3_000_000, bestDistance: 0.4, hitCount: 3, bestThumbnailPath: nil)
        }
        let rows = EvidenceClips.cut(ReportBundle(header: header, hits: [], sightings: sightings), into: folder)
            .sorted { $0.sightingID < $1.sightingID }
        XCTAssertEqual(rows.map(\.sightingID), [1, 2, 3])
        let clip = try XCTUnwrap(rows[0].path)
        XCTAssertEqual(try SHA256Hex.file(at: folder.appendingPathComponent(clip).path), rows[0].sha256)
        XCTAssertLessThanOrEqual(rows[0].fromMs ?? .max, 0 + 2_000, "from the keyframe at or before 0 s")
        XCTAssertGreaterThanOrEqual(rows[0].toMs ?? 0, 5_900, "to 6 s")
        XCTAssertNil(rows[1].path)
        XCTAssertTrue(rows[1].warning?.contains("has changed") == true, "\(rows[1])")
        XCTAssertNil(rows[2].path)
        XCTAssertTrue(rows[2].warning?.contains("missing") == true, "\(rows[2])")
        let shown = EvidenceClips.apply(rows, to: ReportBundle(header: header, hits: [], sightings: sightings))
        let byID = shown.sightings.sorted { $0.sightingID < $1.sightingID }
        XCTAssertEqual(byID.map { $0.clipPath != nil }, [true, false, false])
        XCTAssertEqual(byID.map { $0.clipWarning != nil }, [false, true, true])
    }
}
