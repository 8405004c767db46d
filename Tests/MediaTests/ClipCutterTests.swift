import Foundation
import XCTest
@testable import Media

/// Evidence clips by stream copy: the packets are the file's own, the clip starts on a keyframe at
/// or before the asked start and covers the span; a codec MP4 cannot hold goes into Matroska.
final class ClipCutterTests: XCTestCase {
    private func frames(_ path: String) throws -> [VideoFrame] {
        var options = DecodeOptions()
        options.convertToRGB = false
        return try decodeAll(path, options).frames
    }

    func testAClipIsTheFilesOwnPacketsFromTheKeyframeBeforeTheStart() throws {
        let source = try VideoFixtures.shared.path("cfr.mp4")  // 8 s, keyframes at 0, 2, 4, 6 s
        let dir = try Fixtures.temporaryDirectory(self)
        let clip = try ClipCutter.cut(source, fromMs: 2_500, toMs: 4_200, to: dir.appendingPathComponent("c.mp4"))
        XCTAssertEqual(clip.url.pathExtension, "mp4")
        XCTAssertEqual(clip.fromMs, 2_000, "starts at the keyframe before 2.5 s")
        XCTAssertGreaterThanOrEqual(clip.toMs, 4_200 - 40)
        let cut = try frames(clip.url.path)
        XCTAssertTrue(cut.first?.isKeyframe == true)
        XCTAssertEqual(cut.first?.ptsMs, 0, "the clip starts at zero")
        // Every picture of the source from the keyframe (2.0 s) to 4.2 s is in the clip, the same
        // bytes after decoding; a reference picture or two presented after 4.2 s may follow.
        var options = DecodeOptions()
        options.fromMs = 2_000
        options.toMs = 4_200
        let original = try decodeAll(source, options).frames
        let clipped = try decodeAll(clip.url.path).frames.filter { $0.ptsMs <= 2_200 }
        XCTAssertEqual(original.count, 56, "2.0 ... 4.2 s at 25 fps")
        XCTAssertEqual(clipped.map { fingerprint($0.image) }, original.map { fingerprint($0.image) })
        XCTAssertEqual(clipped.map(\.ptsMs), original.map { $0.ptsMs - 2_000 })
    }

    func testACodecMP4CannotHoldGoesIntoMatroska() throws {
        let source = try VideoFixtures.shared.path("mpeg4.avi")
        let dir = try Fixtures.temporaryDirectory(self)
        let clip = try ClipCutter.cut(source, fromMs: 0, toMs: 1_000, to: dir.appendingPathComponent("c.mp4"))
        XCTAssertTrue(["mp4", "mkv"].contains(clip.url.pathExtension))
        XCTAssertFalse(try frames(clip.url.path).isEmpty)
    }

    func testNothingToCutIsAnError() throws {
        let source = try VideoFixtures.shared.path("cfr.mp4")
        let dir = try Fixtures.temporaryDirectory(self)
        XCTAssertThrowsError(try ClipCutter.cut(source, fromMs: 60_000, toMs: 70_000, to: dir.appendingPathComponent("c.mp4")))
        XCTAssertThrowsError(try ClipCutter.cut("/no/such.mp4", fromMs: 0, toMs: 1, to: dir.appendingPathComponent("d.mp4")))
    }
}
