import XCTest
@testable import Media

/// Frames the sampling will not keep and nothing references are left undecoded; every kept frame
/// is the same picture at the same index either way.
final class VideoSkipTests: XCTestCase {
    private struct Kept: Equatable {
        var index: Int64, ptsMs: Int64, isKeyframe: Bool, isDamaged: Bool, pixels: UInt64
    }

    private func run(_ path: String, fps: Double, skip: Bool, threads: Int = 0, fromMs: Int64? = nil,
                     resumeAfterMs: Int64? = nil) throws -> (kept: [Kept], stats: DecodeStats) {
        var options = DecodeOptions()
        options.sampling = .fps(fps)
        options.skipUnsampledFrames = skip
        options.threads = threads
        options.fromMs = fromMs
        options.resumeAfterMs = resumeAfterMs
        let (frames, decoder) = try decodeAll(path, options)
        let kept = frames.map {
            Kept(index: $0.index, ptsMs: $0.ptsMs, isKeyframe: $0.isKeyframe, isDamaged: $0.isDamaged,
                 pixels: fingerprint($0.image))
        }
        return (kept, decoder.stats)
    }

    func testSkippingKeepsTheSameFramesAndDecodesFewer() throws {
        let path = try VideoFixtures.shared.path("cfr.mp4")
        for fps in [1.0, 5.0, 7.5, 12.5] {
            for threads in [1, 2] {
                let full = try run(path, fps: fps, skip: false, threads: threads)
                let skipped = try run(path, fps: fps, skip: true, threads: threads)
                XCTAssertEqual(skipped.kept, full.kept, "fps \(fps), \(threads) threads")
                XCTAssertEqual(full.stats.framesDecoded, 200)
                XCTAssertLessThan(skipped.stats.framesDecoded, 200, "fps \(fps): B-frames no one references are dropped")
                XCTAssertEqual(skipped.stats.packetsRead, 200)
            }
        }
    }

    func testAStreamWithoutDroppableFramesDecodesEveryFrame() throws {
        // vfr.mkv has no B-frames: every frame is a reference, so nothing can be dropped.
        let path = try VideoFixtures.shared.path("vfr.mkv")
        let full = try run(path, fps: 4, skip: false)
        let skipped = try run(path, fps: 4, skip: true)
        XCTAssertEqual(skipped.kept, full.kept)
        XCTAssertEqual(skipped.stats.framesDecoded, full.stats.framesDecoded)
    }

    func testWindowsAndResumesKeepTheSameFrames() throws {
        for name in ["cfr.mp4", "cfr.ts"] {
            let path = try VideoFixtures.shared.path(name)
            XCTAssertEqual(try run(path, fps: 5, skip: true, fromMs: 2_300).kept,
                           try run(path, fps: 5, skip: false, fromMs: 2_300).kept, name)
            XCTAssertEqual(try run(path, fps: 5, skip: true, resumeAfterMs: 4_120).kept,
                           try run(path, fps: 5, skip: false, resumeAfterMs: 4_120).kept, name)
        }
    }

    func testDamagedStreamsDifferOnlyInTheDamagedStretch() throws {
        // Error recovery sees fewer frames when unreferenced ones are dropped, so inside the damaged
        // group of pictures the frames a slot keeps may differ; before it and from two groups (the
        // fixture's GOP is 2 s) after the first reported damage on, they are the same frames.
        for name in ["corrupt.mp4", "corrupt.ts"] {
            let path = try VideoFixtures.shared.path(name)
            var options = DecodeOptions()
            options.sampling = .fps(5)
            options.skipUnsampledFrames = false
            let (_, decoder) = try decodeAll(path, options)
            let damageMs = try XCTUnwrap(decoder.issues.compactMap(\.ptsMs).min(), name)
            let outside = { (frame: Kept) in frame.ptsMs < damageMs - 2_000 || frame.ptsMs > damageMs + 4_000 }
            let full = try run(path, fps: 5, skip: false)
            let skipped = try run(path, fps: 5, skip: true)
            XCTAssertGreaterThan(full.stats.issueCount, 0, name)
            XCTAssertGreaterThan(skipped.stats.issueCount, 0, name)
            XCTAssertEqual(skipped.kept.filter(outside).map(\.index), full.kept.filter(outside).map(\.index), name)
            XCTAssertEqual(skipped.kept.filter(outside).map(\.pixels), full.kept.filter(outside).map(\.pixels), name)
            XCTAssertGreaterThanOrEqual(full.kept.filter(outside).count, 8, name)
        }
    }
}
