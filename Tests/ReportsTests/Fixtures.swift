import Common
import Foundation
@testable import Reports

/// A small but complete report: two inputs (one with a recording start, one failed), hits with
/// hostile text in every free-form field, sightings in both inputs, an enrolled photo.
enum Fixtures {
    static let hostile = "<script>alert(\"x\")</script>, \"quoted\"\nnext line & 'apostrophe'"

    static let start = RecordingStart(rfc3339: "2026-11-29T03:00:00.250+01:00")

    static func header() -> ReportHeader {
        ReportHeader(
            jobName: "case-1142", jobID: "17", manifestHash: String(repeating: "ab", count: 32),
            facejobVersion: "0.1.0", generatedAt: "2026-11-29T12:00:00Z",
            models: [ReportModel(role: "detection", name: "mtcnn", weightsSHA256: String(repeating: "1", count: 64)),
                     ReportModel(role: "embedding", name: "dlib_resnet_v1", weightsSHA256: String(repeating: "2", count: 64))],
            inputs: [
                ReportInput(path: "/footage/lobby, east.mp4", sha256: String(repeating: "c", count: 64), sizeBytes: 1_234_567,
                            camera: "lobby", recordedAt: start, status: "done", framesSampled: 300, faces: 420, hits: 3),
                ReportInput(path: "/footage/garage.mp4", sha256: String(repeating: "d", count: 64), sizeBytes: 99,
                            camera: hostile, status: "failed", error: "corrupt stream at 00:00:04.000 <bad>"),
                ReportInput(path: "/footage/platform.mp4", sha256: String(repeating: "e", count: 64), sizeBytes: 5_000,
                            status: "done", framesSampled: 10, faces: 4, hits: 1),
            ],
            settings: [ReportSetting(name: "search.threshold", value: "0.6"), ReportSetting(name: "sampling.every_n", value: "5")],
            timings: [ReportTiming(stage: "decode", seconds: 1.5), ReportTiming(stage: "total", seconds: 12.3456)])
    }

    static func hit(input: Int, frame: Int64, pts: Int64, track: Int64, identity: Int64, name: String, distance: Double,
                    rank: Int = 1, sighting: Int64?) -> HitRecord {
        let paths = ["/footage/lobby, east.mp4", "/footage/garage.mp4", "/footage/platform.mp4"]
        return HitRecord(
            jobName: "case-1142", jobID: "17", inputPath: paths[input], inputSHA256: String(repeating: input == 0 ? "c" : "e", count: 64),
            camera: input == 0 ? "lobby" : nil, recordedAt: input == 0 ? start : nil, frameIndex: frame, ptsMicroseconds: pts,
            frameWidth: 640, frameHeight: 360, box: PixelBox(x: 100.25, y: 50, width: 80.5, height: 96),
            detectionScore: 0.9987654321, identityID: identity, identityName: name,
            externalID: identity == 7 ? "W-17" : nil, distance: distance, similarity: 1 - distance, rank: rank,
            threshold: 0.6, trackID: track, sightingID: sighting, thumbnailPath: "thumbs/\(input)/f\(frame)-t\(track).jpg",
            modelName: "dlib_resnet_v1", modelSHA256: String(repeating: "2", count: 64))
    }

    static func bundle() -> ReportBundle {
        let hits = [
            hit(input: 0, frame: 150, pts: 5_005_000, track: 2, identity: 9, name: hostile, distance: 0.41, sighting: 2),
            hit(input: 0, frame: 30, pts: 1_001_000, track: 1, identity: 7, name: "Jane Doe", distance: 0.52, sighting: 1),
            hit(input: 2, frame: 5, pts: 166_833, track: 1, identity: 7, name: "Jane Doe", distance: 0.3, sighting: 3),
            hit(input: 0, frame: 35, pts: 1_167_833, track: 1, identity: 7, name: "Jane Doe", distance: 0.48, sighting: 1),
        ]
        let sightings = [
            SightingRecord(sightingID: 3, inputPath: "/footage/platform.mp4", inputSHA256: String(repeating: "e", count: 64),
                           camera: nil, recordedAt: nil, trackID: 1, identityID: 7, identityName: "Jane Doe", externalID: "W-17",
                           firstFrame: 5, firstPtsMicroseconds: 166_833, lastFrame: 5, lastPtsMicroseconds: 166_833,
                           bestFrame: 5, bestPtsMicroseconds: 166_833, bestDistance: 0.3, hitCount: 1,
                           bestThumbnailPath: "thumbs/2/f5-t1 #1.jpg"),
            SightingRecord(sightingID: 2, inputPath: "/footage/lobby, east.mp4", inputSHA256: String(repeating: "c", count: 64),
                           camera: "lobby", recordedAt: start, trackID: 2, identityID: 9, identityName: hostile, externalID: nil,
                           firstFrame: 150, firstPtsMicroseconds: 5_005_000, lastFrame: 150, lastPtsMicroseconds: 5_005_000,
                           bestFrame: 150, bestPtsMicroseconds: 5_005_000, bestDistance: 0.41, hitCount: 1,
                           bestThumbnailPath: "thumbs/0/f150-t2.jpg"),
            SightingRecord(sightingID: 1, inputPath: "/footage/lobby, east.mp4", inputSHA256: String(repeating: "c", count: 64),
                           camera: "lobby", recordedAt: start, trackID: 1, identityID: 7, identityName: "Jane Doe", externalID: "W-17",
                           firstFrame: 30, firstPtsMicroseconds: 1_001_000, lastFrame: 35, lastPtsMicroseconds: 1_167_833,
                           bestFrame: 35, bestPtsMicroseconds: 1_167_833, bestDistance: 0.48, hitCount: 2,
                           bestThumbnailPath: "thumbs/0/f35-t1.jpg"),
        ]
        var bundle = ReportBundle(header: header(), hits: hits, sightings: sightings,
                                  enrolledPhotos: [7: EnrolledPhoto(data: [0xFF, 0xD8, 0xFF, 0xD9], kind: .jpeg)])
        // Sighting 1 confirmed by an analyst (with a hostile reason), so its hits are too; sighting
        // 2 rejected.
        let confirmed = ReviewStatus(decision: "confirmed", reviewer: "analyst<1>", decidedAt: "2026-12-01T10:00:00.000Z",
                                     reason: hostile)
        bundle.sightings[2].review = confirmed
        bundle.hits[1].review = confirmed
        bundle.hits[3].review = confirmed
        let rejected = ReviewStatus(decision: "rejected", reviewer: "analyst2", decidedAt: "2026-12-01T10:05:00.000Z", reason: nil)
        bundle.sightings[1].review = rejected
        // Sighting 1 has an evidence clip; sighting 2's footage changed, so it has none.
        bundle.sightings[2].clipPath = "clips/s000001.mp4"
        bundle.sightings[2].clipSHA256 = String(repeating: "7", count: 64)
        bundle.sightings[1].clipWarning = "/footage/lobby, east.mp4 has changed since the job recorded it; no clip"
        bundle.hits[0].review = rejected
        return bundle
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facejob-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
