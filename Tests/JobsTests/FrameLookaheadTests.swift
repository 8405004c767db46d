import Common
import Foundation
import XCTest
@testable import Jobs
@testable import Media

/// The lookahead embeds the faces of several frames in one forward pass; each frame still gets
/// exactly the faces a frame-by-frame analysis gives it.
final class FrameLookaheadTests: XCTestCase {
    /// The real engine, counting the faces of each embedding pass.
    private final class CountingAnalyzer: BatchEmbeddingAnalyzing, @unchecked Sendable {
        let engine: BatchEmbeddingAnalyzing
        private let lock = NSLock()
        private var counts: [Int] = []
        init(_ engine: BatchEmbeddingAnalyzing) { self.engine = engine }

        var passes: [Int] { lock.lock(); defer { lock.unlock() }; return counts }
        func analyze(_ images: [RGBImage]) throws -> [[FrameFace]] { try engine.analyze(images) }
        func align(_ image: RGBImage) throws -> [AlignedFrameFace] { try engine.align(image) }
        func embed(_ chips: [RGBImage]) throws -> [[Float]] {
            lock.lock(); counts.append(chips.count); lock.unlock()
            return try engine.embed(chips)
        }
    }

    /// Every 5th frame of the first 4 seconds of the Hamilton clip.
    private func frames() throws -> [VideoFrame] {
        var options = DecodeOptions()
        options.sampling = .every(5)
        options.toMs = 4000
        let decoder = try VideoDecoder(path: try RunnerFixtures.videoData().appendingPathComponent("short_hamilton_clip.mp4").path,
                                       options: options)
        var out: [VideoFrame] = []
        while let frame = try decoder.next() { out.append(frame) }
        return out
    }

    func testFacesOfSeveralFramesShareAPassAndMatchFrameByFrameAnalysis() throws {
        let engine = try XCTUnwrap(try RunnerFixtures.engine().makeAnalyzer(detector: DetectorSettings()) as? BatchEmbeddingAnalyzing)
        let frames = try frames()
        let expected = try frames.map { try engine.analyze([XCTUnwrap($0.image)])[0] }
        let withFaces = expected.filter { !$0.isEmpty }.count
        XCTAssertGreaterThan(withFaces, 10, "the clip's opening has faces")

        let counting = CountingAnalyzer(engine)
        let lookahead = FrameLookahead(analyzer: counting, limit: 4, threads: 2)
        var got: [FrameLookahead.Analysed] = []
        for frame in frames { got += try lookahead.push(frame) }
        got += try lookahead.drain()
        lookahead.cancel()

        XCTAssertEqual(got.map(\.frame.index), frames.map(\.index), "frames come back in order")
        for (n, result) in got.enumerated() {
            XCTAssertEqual(result.faces, expected[n], "frame \(result.frame.index): boxes, scores and embeddings bit for bit")
        }
        let passes = counting.passes
        XCTAssertEqual(passes.reduce(0, +), expected.map(\.count).reduce(0, +), "every face embedded once")
        XCTAssertLessThan(passes.count, withFaces, "faces of several frames share passes: \(passes)")
        XCTAssert(passes.allSatisfy { [1, 2, 4, 8].contains($0) }, "passes of 1, 2, 4 or 8 faces: \(passes)")
    }

    /// An engine whose embedding fails: every frame with a face reports the error.
    private final class FailingEmbedder: BatchEmbeddingAnalyzing, @unchecked Sendable {
        struct Broken: Error {}
        func analyze(_ images: [RGBImage]) throws -> [[FrameFace]] { throw Broken() }
        func align(_ image: RGBImage) throws -> [AlignedFrameFace] {
            [AlignedFrameFace(box: PixelBox(x: 0, y: 0, width: 1, height: 1), score: 1, chip: image)]
        }
        func embed(_ chips: [RGBImage]) throws -> [[Float]] { throw Broken() }
    }

    func testAFailedPassFailsItsFrames() throws {
        let lookahead = FrameLookahead(analyzer: FailingEmbedder(), limit: 2, threads: 2)
        let frame = VideoFrame(index: 0, ptsMs: 0, pts: 0, timeBase: (1, 25), timestampIsExact: true, isKeyframe: true,
                               isDamaged: false, image: RGBImage(width: 4, height: 4))
        // The error comes out of `push` if the frame is done by then, else out of `drain`.
        XCTAssertThrowsError(try { _ = try lookahead.push(frame); _ = try lookahead.drain() }()) {
            XCTAssert($0 is FailingEmbedder.Broken, "\($0)")
        }
        lookahead.cancel()
    }
}
