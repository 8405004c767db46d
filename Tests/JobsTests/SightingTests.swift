import XCTest
@testable import Jobs

final class SightingTests: XCTestCase {
    private func hit(_ track: Int64, _ identity: Int64, frame: Int64, distance: Double, input: Int = 0) -> TrackedHit {
        TrackedHit(inputIndex: input, trackID: track, identityID: identity, frameIndex: frame, ptsMicroseconds: frame * 33_367,
                   distance: distance)
    }

    func testOneIdentityAtMostOncePerFrame() {
        let hits = [
            FaceHit(detectionIndex: 0, identityID: 7, distance: 0.50, rank: 1),
            FaceHit(detectionIndex: 1, identityID: 7, distance: 0.42, rank: 1),
            FaceHit(detectionIndex: 1, identityID: 9, distance: 0.55, rank: 2),
            FaceHit(detectionIndex: 2, identityID: 9, distance: 0.55, rank: 1),
        ]
        let kept = FaceHit.bestPerIdentity(hits)
        XCTAssertEqual(kept, [FaceHit(detectionIndex: 1, identityID: 7, distance: 0.42, rank: 1),
                              FaceHit(detectionIndex: 2, identityID: 9, distance: 0.55, rank: 1)])
        XCTAssertEqual(FaceHit.bestPerIdentity(hits.reversed()), kept)
    }

    func testIdentityFlipWithinATrackGivesOneSightingPerIdentity() {
        // Track 1 matches identity 7 in most frames but identity 9 in two of them (a look-alike at
        // a bad angle). Each identity gets its own sighting on the same track, so an analyst sees both.
        let hits = [hit(1, 7, frame: 10, distance: 0.50), hit(1, 7, frame: 15, distance: 0.40), hit(1, 9, frame: 20, distance: 0.58),
                    hit(1, 7, frame: 25, distance: 0.45), hit(1, 9, frame: 30, distance: 0.57), hit(1, 7, frame: 35, distance: 0.40)]
        let s = SightingBuilder.build([hits[3], hits[0], hits[5], hits[2], hits[1], hits[4]])
        XCTAssertEqual(s.count, 2)
        let seven = s[0], nine = s[1]
        XCTAssertEqual([seven.id, nine.id], [1, 2])
        XCTAssertEqual(seven.identityID, 7)
        XCTAssertEqual(seven.trackID, 1)
        XCTAssertEqual(seven.count, 4)
        XCTAssertEqual(seven.first.frameIndex, 10)
        XCTAssertEqual(seven.last.frameIndex, 35)
        XCTAssertEqual(seven.best.frameIndex, 15, "equal best distances resolve to the earliest frame")
        XCTAssertEqual(seven.bestDistance, 0.40)
        XCTAssertEqual(nine.identityID, 9)
        XCTAssertEqual(nine.trackID, 1)
        XCTAssertEqual([nine.first.frameIndex, nine.last.frameIndex, nine.best.frameIndex, Int64(nine.count)], [20, 30, 30, 2])
        XCTAssertEqual(nine.first.ptsMicroseconds, 20 * 33_367)
    }

    func testSightingIdsFollowInputThenTime() {
        let hits = [hit(2, 7, frame: 5, distance: 0.3, input: 1), hit(3, 7, frame: 50, distance: 0.3), hit(1, 9, frame: 1, distance: 0.3)]
        let s = SightingBuilder.build(hits)
        XCTAssertEqual(s.map(\.id), [1, 2, 3])
        XCTAssertEqual(s.map(\.inputIndex), [0, 0, 1])
        XCTAssertEqual(s.map(\.trackID), [1, 3, 2])
        XCTAssertEqual(SightingBuilder.build(hits.reversed()), s)
    }

    func testRecordCarriesEverythingTheReportNeeds() {
        let s = SightingBuilder.build([hit(4, 7, frame: 3, distance: 0.31), hit(4, 7, frame: 9, distance: 0.29)])[0]
        let r = s.record(inputPath: "/f.mp4", inputSHA256: "ab", camera: "c", recordedAt: nil, identityName: "Jane",
                         externalID: "W-1", bestThumbnailPath: "thumbs/x.jpg")
        XCTAssertEqual([r.firstFrame, r.lastFrame, r.bestFrame], [3, 9, 9])
        XCTAssertEqual(r.hitCount, 2)
        XCTAssertEqual(r.trackID, 4)
        XCTAssertEqual(r.bestDistance, 0.29)
    }
}
