import Common
import Reports
import XCTest
@testable import Jobs

final class ReportAssemblerTests: XCTestCase {
    private func hit(_ input: String, frame: Int64, track: Int64, identity: Int64, distance: Double) -> HitRecord {
        HitRecord(jobName: "j", jobID: "1", inputPath: input, inputSHA256: "sha-" + input, camera: "cam", recordedAt: nil,
                  frameIndex: frame, ptsMicroseconds: frame * 40_000, frameWidth: 640, frameHeight: 360,
                  box: PixelBox(x: 1, y: 2, width: 30, height: 30), detectionScore: 0.99, identityID: identity,
                  identityName: "id\(identity)", externalID: nil, distance: distance, similarity: 1 - distance, rank: 1,
                  threshold: 0.6, trackID: track, sightingID: 99, thumbnailPath: "thumbs/\(frame).jpg",
                  modelName: "dlib_resnet_v1", modelSHA256: "m")
    }

    func testSightingsAndIdsFollowFromTheHits() {
        let header = ReportHeader(jobName: "j", jobID: "1", manifestHash: "h", facejobVersion: "0", generatedAt: "t", models: [],
                                  inputs: [ReportInput(path: "/b.mp4", sha256: "x", sizeBytes: 1, status: "done"),
                                           ReportInput(path: "/a.mp4", sha256: "y", sizeBytes: 1, status: "done")],
                                  settings: [], timings: [])
        let hits = [hit("/a.mp4", frame: 1, track: 1, identity: 7, distance: 0.5),
                    hit("/b.mp4", frame: 9, track: 3, identity: 7, distance: 0.4),
                    hit("/b.mp4", frame: 4, track: 3, identity: 7, distance: 0.3),
                    hit("/b.mp4", frame: 6, track: 3, identity: 8, distance: 0.55)]
        let bundle = ReportAssembler.assemble(header: header, hits: hits)
        // Input order comes from the header (/b.mp4 first), then first-seen time.
        XCTAssertEqual(bundle.sightings.map(\.sightingID), [1, 2, 3])
        XCTAssertEqual(bundle.sightings.map(\.inputPath), ["/b.mp4", "/b.mp4", "/a.mp4"])
        XCTAssertEqual(bundle.sightings.map(\.identityID), [7, 8, 7])
        XCTAssertEqual(bundle.sightings[0].hitCount, 2)
        XCTAssertEqual(bundle.sightings[0].bestFrame, 4)
        XCTAssertEqual(bundle.sightings[0].bestThumbnailPath, "thumbs/4.jpg")
        XCTAssertEqual(bundle.sightings[0].identityName, "id7")
        XCTAssertEqual(bundle.hits.map(\.sightingID), [3, 1, 1, 2])
        XCTAssertEqual(ReportAssembler.assemble(header: header, hits: hits.reversed()).sightings, bundle.sightings)
    }
}
