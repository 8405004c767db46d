import XCTest
@testable import Media

final class VideoSeekTests: XCTestCase {
    private func options(_ sampling: SamplingPolicy, from: Int64? = nil, to: Int64? = nil, resumeAfter: Int64? = nil) -> DecodeOptions {
        var options = DecodeOptions()
        options.sampling = sampling
        options.fromMs = from
        options.toMs = to
        options.resumeAfterMs = resumeAfter
        return options
    }

    private struct Key: Equatable { let index: Int64, ptsMs: Int64, pixels: UInt64 }
    private func keys(_ frames: [VideoFrame]) -> [Key] {
        frames.map { Key(index: $0.index, ptsMs: $0.ptsMs, pixels: fingerprint($0.image)) }
    }

    func testWindowDecodesOnlyNearTheWindow() throws {
        for name in ["cfr.mp4", "cfr.ts", "cfr.mkv"] {
            let path = try VideoFixtures.shared.path(name)
            let full = try decodeAll(path, options(.all)).frames
            let (frames, decoder) = try decodeAll(path, options(.all, from: 4500, to: 6000))
            XCTAssertEqual(keys(frames), keys(full.filter { $0.ptsMs >= 4500 && $0.ptsMs <= 6000 }), name)
            XCTAssertEqual(frames.first?.index, 113, name)
            XCTAssertEqual(frames.last?.index, 150, name)
            XCTAssertGreaterThanOrEqual(decoder.stats.seeks, 1, name)
            // From the keyframe at 4 s (frame 100) to just past 6 s: never the first 100 frames.
            XCTAssertLessThanOrEqual(decoder.stats.framesDecoded, 60, "\(name) decoded too much")
        }
    }

    func testWindowWithEverySampling() throws {
        let path = try VideoFixtures.shared.path("cfr.mp4")
        let full = try decodeAll(path, options(.every(4))).frames
        let window = try decodeAll(path, options(.every(4), from: 2200, to: 3000)).frames
        XCTAssertEqual(window.map(\.index), [56, 60, 64, 68, 72])
        XCTAssertEqual(keys(window), keys(full.filter { $0.ptsMs >= 2200 && $0.ptsMs <= 3000 }))
    }

    func testKeyframesInAWindow() throws {
        let path = try VideoFixtures.shared.path("cfr.mp4")
        let (frames, decoder) = try decodeAll(path, options(.keyframes, from: 1000, to: 5000))
        XCTAssertEqual(frames.map(\.index), [50, 100])
        XCTAssertEqual(frames.map(\.ptsMs), [2000, 4000])
        XCTAssertLessThanOrEqual(decoder.stats.framesDecoded, 4)
    }

    func testResumeYieldsExactlyTheRemainingFrames() throws {
        let cases: [(String, SamplingPolicy)] = [
            ("cfr.mp4", .every(3)), ("cfr.ts", .every(3)), ("cfr.mkv", .all), ("cfr.mp4", .fps(3)),
            ("vfr.mkv", .fps(4)), ("mpeg4.avi", .every(2)), ("noindex.avi", .every(2)), ("hevc.mp4", .all),
            ("cfr.mp4", .keyframes),
        ]
        for (name, policy) in cases {
            let path = try VideoFixtures.shared.path(name)
            let full = try decodeAll(path, options(policy)).frames
            XCTAssertGreaterThan(full.count, 3, name)
            // Resume after a frame in the middle, after a keyframe, and after the first frame.
            for checkpoint in Set([full[full.count / 2], full[1], full[0]].map(\.ptsMs)) {
                let (resumed, decoder) = try decodeAll(path, options(policy, resumeAfter: checkpoint))
                XCTAssertEqual(keys(resumed), keys(full.filter { $0.ptsMs > checkpoint }),
                               "\(name) \(policy) resumed after \(checkpoint) ms; issues: \(decoder.issues)")
            }
        }
    }

    func testResumeAtTheEndYieldsNothing() throws {
        let path = try VideoFixtures.shared.path("cfr.mp4")
        XCTAssertTrue(try decodeAll(path, options(.all, resumeAfter: 7960)).frames.isEmpty)
        XCTAssertTrue(try decodeAll(path, options(.all, from: 60_000)).frames.isEmpty)
    }

    func testEmptyWindowIsAUsageError() {
        XCTAssertThrowsError(try VideoDecoder(path: "/nonexistent.mp4", options: options(.all, from: 5000, to: 1000))) { error in
            XCTAssertEqual((error as? MediaError)?.exitStatus, .usage)
        }
    }
}
