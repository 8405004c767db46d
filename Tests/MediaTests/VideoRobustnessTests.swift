import XCTest
@testable import Media

final class VideoRobustnessTests: XCTestCase {
    func testTruncatedFilesYieldTheirFramesAndReportTheDamage() throws {
        for name in ["truncated.mp4", "truncated.ts"] {
            let (frames, decoder) = try decodeAll(try VideoFixtures.shared.path(name))
            XCTAssertGreaterThan(frames.count, 60, name)
            XCTAssertLessThan(frames.count, 200, name)
            XCTAssertEqual(frames.map(\.index), (0..<Int64(frames.count)).map { $0 }, name)
            XCTAssertGreaterThan(decoder.stats.issueCount, 0, "\(name): truncation must be reported")
            XCTAssertTrue(decoder.issues.contains { $0.bytePosition != nil || $0.ptsMs != nil }, "\(decoder.issues)")
        }
    }

    func testCorruptedMiddleKeepsDecodingAndCountsErrors() throws {
        for name in ["corrupt.mp4", "corrupt.ts"] {
            let (frames, decoder) = try decodeAll(try VideoFixtures.shared.path(name))
            XCTAssertGreaterThan(frames.count, 150, "\(name): frames after the damage must still come out")
            XCTAssertGreaterThan(frames.last?.ptsMs ?? 0, 7000, name)
            XCTAssertGreaterThan(decoder.stats.issueCount, 0, "\(name): the damage must be counted")
            XCTAssertTrue(decoder.issues.contains { $0.bytePosition != nil || $0.ptsMs != nil }, "\(decoder.issues)")
            let damaged = decoder.issues.compactMap(\.ptsMs)
            XCTAssertTrue(damaged.allSatisfy { $0 >= 2000 }, "damage is in the middle, not at \(damaged)")
        }
    }

    func testAVIWithoutItsIndex() throws {
        let intact = try decodeAll(try VideoFixtures.shared.path("mpeg4.avi")).frames
        let (frames, _) = try decodeAll(try VideoFixtures.shared.path("noindex.avi"))
        XCTAssertEqual(frames.map(\.ptsMs), intact.map(\.ptsMs))
    }

    func testUndecodableFilesGiveClearErrors() throws {
        for (name, needle) in [("audio.m4a", "no video stream"), ("empty.mp4", "empty"), ("notes.txt", "recognise"),
                               ("notes.mp4", "recognise"), ("unfinished.mp4", "index (moov atom) is missing")] {
            let path = try VideoFixtures.shared.path(name)
            XCTAssertThrowsError(try VideoDecoder(path: path), name) { error in
                guard let mediaError = error as? MediaError else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue(mediaError.description.contains(path), mediaError.description)
                XCTAssertTrue(mediaError.description.contains(needle), mediaError.description)
                XCTAssertEqual(mediaError.exitStatus, .failure)
            }
        }
        XCTAssertThrowsError(try VideoDecoder(path: "/no/such/footage.mp4")) { error in
            XCTAssertEqual(error as? MediaError, .fileNotFound(path: "/no/such/footage.mp4"))
        }
    }

    func testProbeDescribesStreamsAndKeyframes() throws {
        let info = try MediaProbe.describe(path: try VideoFixtures.shared.path("cfr.mp4"))
        XCTAssertTrue(info.container.contains("mp4"))
        XCTAssertEqual(info.videoStream, 0)
        let video = try XCTUnwrap(info.streams.first)
        XCTAssertEqual(video.codec, "h264")
        XCTAssertEqual(video.width, 320)
        XCTAssertEqual(video.frameRate, 25)
        XCTAssertEqual(video.frameCount, 200)
        XCTAssertEqual(info.durationSeconds ?? 0, 8, accuracy: 0.05)
        let keys = try MediaProbe.keyframes(path: try VideoFixtures.shared.path("cfr.mp4"))
        XCTAssertEqual(keys.keyframes, 4)
        XCTAssertEqual(keys.packets, 200)
        XCTAssertEqual(keys.maxInterval, 50)
        XCTAssertTrue(keys.complete)
        let audio = try MediaProbe.describe(path: try VideoFixtures.shared.path("audio.m4a"))
        XCTAssertNil(audio.videoStream)
        XCTAssertEqual(audio.streams.first?.kind, "audio")
    }
}
